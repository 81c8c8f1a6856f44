import { type Command, InvalidArgumentError, Option } from "commander";

/** A duration on the command line, in seconds: "900", "15m", "24h". */
export function durationSeconds(value: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('use seconds or a unit, like "900", "15m" or "1h"');
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
}

/** The canary's options, as doctor and verify both take them. */
export function withCanaryOptions(command: Command): Command {
  return command
    .option("--canary", "write a small object under each rule's prefix and follow it to the destination")
    .addOption(
      new Option("--timeout <duration>", "how long the canary waits for replication")
        .default(900, "15m")
        .argParser(durationSeconds),
    )
    .addOption(
      new Option("--poll <duration>", "how often the canary asks").default(5, "5s").argParser(durationSeconds),
    );
}
