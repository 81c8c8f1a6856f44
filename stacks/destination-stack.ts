import type { Construct } from "constructs";
import type { Model, SharedDestination } from "../lib/config/model";
import { accountProvider } from "../lib/constructs/account-provider";
import { requireAwsProviderVersion } from "../lib/constructs/aws-provider-version";
import { sharedDestinationSide } from "../lib/constructs/shared-destination-side";
import { stateBackend } from "../lib/constructs/state-backend";
import { LiteralStack } from "./literal-stack";
import { stackTags } from "./replication-stack";

/**
 * The stack of a destination bucket several sources replicate into (a central log archive), in
 * the destination account only (lib/constructs/shared-destination-side.ts). It is applied before
 * the source stacks, which write nothing to the bucket or its key.
 */
export class DestinationStack extends LiteralStack {
  constructor(
    scope: Construct,
    shared: SharedDestination,
    project: Pick<Model, "backend" | "tags" | "awsProviderVersion">,
  ) {
    super(scope, shared.stackName);
    stateBackend(this, shared.stackName, project.backend);
    requireAwsProviderVersion(this, project.awsProviderVersion);
    const d = shared.destination;
    const provider = accountProvider(this, {
      alias: d.providerAlias,
      account: d.account,
      region: d.region,
      tags: stackTags(project, shared.stackName),
    });
    sharedDestinationSide(this, shared, provider, false);
  }
}
