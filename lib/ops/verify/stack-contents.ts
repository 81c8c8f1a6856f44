/**
 * What one Terraform root holds, for verify: the replications (source buckets) whose live setup
 * doctor checks, and the shared destinations' sides it owns, as the model's list of stacks says
 * (several replications in one root with a grouped layout). The one place verify asks which root
 * holds what.
 */
import type { Model, Replication, SharedDestination } from "../../config/model";

export interface StackContents {
  readonly name: string;
  readonly replications: readonly Replication[];
  readonly sharedDestinations: readonly SharedDestination[];
}

export function stackContents(model: Model, stack: string): StackContents {
  const unit = model.stacks.find((s) => s.name === stack);
  return {
    name: stack,
    replications: unit?.replications ?? [],
    sharedDestinations: unit?.sharedDestinations ?? [],
  };
}
