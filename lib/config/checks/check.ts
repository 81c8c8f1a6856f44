import type { ConfigIssue } from "../config-error";
import { accountNamed } from "../model";
import type { Config, ReplicationConfig, RuleConfig } from "../schema";

/** A cross-field rule: returns every problem it finds in a config that passed the schema. */
export type Check = (config: Config) => ConfigIssue[];

export type Path = Array<string | number>;

export function issue(path: Path, message: string): ConfigIssue {
  return { path, message };
}

/** Runs `fn` on every rule of every replication, with the rule's path. */
export function eachRule(
  config: Config,
  fn: (rule: RuleConfig, path: Path, replication: ReplicationConfig, j: number, i: number) => ConfigIssue[],
): ConfigIssue[] {
  return config.replications.flatMap((r, i) =>
    r.rules.flatMap((rule, j) => fn(rule, ["replications", i, "rules", j], r, j, i)),
  );
}

/** The Region a bucket mention resolves to (its own, or its account's). */
export function regionOf(config: Config, ref: { account: string; region?: string }): string | undefined {
  return ref.region ?? accountNamed(config, ref.account)?.region;
}
