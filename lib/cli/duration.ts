import { InvalidArgumentError } from "commander";

/** A duration on the command line, in seconds: "900", "15m", "24h". */
export function durationSeconds(value: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('use seconds or a unit, like "900", "15m" or "1h"');
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
}
