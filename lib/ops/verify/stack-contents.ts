/**
 * What one Terraform root holds, for verify: the replications (source buckets) whose live setup
 * doctor checks, and the shared destinations' sides it owns. The one place verify asks the model
 * which root holds what: with stack layouts (several replications per root), this reads the
 * model's list of stacks instead.
 */
import type { Model, Replication, SharedDestination } from "../../config/model";

export interface StackContents {
  readonly name: string;
  readonly replications: readonly Replication[];
  readonly sharedDestinations: readonly SharedDestination[];
}

export function stackContents(model: Model, stack: string): StackContents {
  return {
    name: stack,
    replications: model.replications.filter((r) => r.stackName === stack),
    sharedDestinations: model.sharedDestinations.filter((d) => d.stackName === stack),
  };
}
