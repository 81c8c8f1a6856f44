import { Construct } from "constructs";
import type { StackUnit } from "../lib/config/model";
import { replicationResources, type SharedSideResources } from "../lib/constructs/replication-resources";
import { handOverSharedDestinations } from "../lib/constructs/shared-destination-handover";
import { sharedDestinationSide } from "../lib/constructs/shared-destination-side";
import { LiteralStack } from "./literal-stack";
import { managedBucketsOf, type Project, stackFoundation } from "./replication-stack";

/**
 * A stack of several replications (per-account or single layout, or a stack the config names),
 * and in the single layout the shared destinations' sides too. One provider per account and
 * Region; every address carries its bucket (lib/naming.ts), so adding a replication renames
 * nothing. What the per-bucket layout orders with stack dependencies is ordered here with
 * depends_on where both sides are in this stack: each replication configuration waits for the
 * versioning of its buckets, whichever replication of the stack manages them, for its bucket
 * policies and keys, and for a shared destination's side (lib/constructs/replication-resources.ts).
 */
export class GroupedStack extends LiteralStack {
  constructor(scope: Construct, unit: StackUnit, project: Project) {
    super(scope, unit.name);
    const provider = stackFoundation(this, unit.providers, project);
    const sharedSides = new Map<string, SharedSideResources>(
      unit.sharedDestinations.map((shared) => [
        shared.destination.bucket,
        sharedDestinationSide(
          new Construct(this, `shared-${shared.destination.bucket}`),
          shared,
          provider(shared.destination.providerAlias),
          true,
        ),
      ]),
    );
    const scopes = unit.replications.map((r) => new Construct(this, r.id));
    const managed = new Map(unit.replications.flatMap((r, i) => managedBucketsOf(scopes[i], r, provider, true)));
    unit.replications.forEach((r, i) => {
      replicationResources(scopes[i], r, { grouped: true, provider, managed, sharedSides });
    });
    handOverSharedDestinations(
      this,
      unit.replications.flatMap((r) => r.destinations),
    );
  }
}
