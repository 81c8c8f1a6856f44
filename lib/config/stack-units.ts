/**
 * Which Terraform root (stack) holds what, for the config's stack layout: the one place that
 * decides it. Stacks come in deployment order: the stacks that hold shared destinations first,
 * then the others in the order of their first replication in the config. Each bucket's versioning
 * (and creation) is managed by the earliest stack that names it, so every stack dependency points
 * to an earlier stack and the stacks can never depend on each other in a cycle. In the per-bucket
 * layout this is the rule it has always had: a shared destination's own stack, else the first
 * replication in the config that names the bucket.
 */
import { accountStackName, destinationStackName, namedStackName, replicationId, SINGLE_STACK_NAME } from "../naming";
import type { Config } from "./schema";

export interface StackAssignment {
  /** The stack of each replication, by its index in the config. */
  readonly stackOf: readonly string[];
  /** The stack that holds a shared destination's side. */
  readonly holderOf: (bucket: string) => string;
  /** Every stack, in deployment order. */
  readonly order: readonly string[];
  /** Stacks whose addresses carry the bucket: all but one-replication per-bucket stacks and destination stacks. */
  readonly grouped: (stack: string) => boolean;
}

/** The stack a replication's layout (or its own `stack`) puts it in. */
function layoutStack(config: Config, i: number): string {
  const r = config.replications[i];
  if (r.stack !== undefined) return namedStackName(r.stack);
  switch (config.stackLayout) {
    case "per-account":
      return accountStackName(r.source.account);
    case "single":
      return SINGLE_STACK_NAME;
    default:
      return replicationId(r.source.bucket);
  }
}

export function assignStacks(config: Config, shared: readonly string[]): StackAssignment {
  const stackOf = config.replications.map((_, i) => layoutStack(config, i));
  const holderOf = (bucket: string) =>
    config.stackLayout === "single" ? SINGLE_STACK_NAME : destinationStackName(bucket);
  const order = [...new Set([...shared.map(holderOf), ...stackOf])];
  const ungrouped = new Set([
    ...(config.stackLayout === "single" ? [] : shared.map(destinationStackName)),
    ...(config.stackLayout === "per-bucket"
      ? config.replications.flatMap((r, i) => (r.stack === undefined ? [stackOf[i]] : []))
      : []),
  ]);
  return { stackOf, holderOf, order, grouped: (stack) => !ungrouped.has(stack) };
}

/** Who manages a bucket's versioning (and creation): a stack, and in it the replication, if not a shared side. */
export interface BucketManager {
  readonly stack: string;
  /** The replication (by config index) whose part of the stack writes it; none for a shared destination. */
  readonly replication?: number;
}

/**
 * Each bucket's manager: a shared destination's holder; otherwise the earliest stack (in
 * deployment order) that names the bucket, and in it the first replication in the config that does.
 */
export function bucketManagers(
  config: Config,
  shared: readonly string[],
  assignment: StackAssignment,
): Map<string, BucketManager> {
  const managers = new Map<string, BucketManager>(
    shared.map((bucket) => [bucket, { stack: assignment.holderOf(bucket) }]),
  );
  const rank = new Map(assignment.order.map((stack, i) => [stack, i]));
  config.replications.forEach((r, i) => {
    const stack = assignment.stackOf[i];
    for (const bucket of [r.source.bucket, ...r.rules.map((rule) => rule.destination.bucket)]) {
      const current = managers.get(bucket);
      if (
        !current ||
        (current.replication !== undefined && (rank.get(stack) as number) < (rank.get(current.stack) as number))
      ) {
        managers.set(bucket, { stack, replication: i });
      }
    }
  });
  return managers;
}
