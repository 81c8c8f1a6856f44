import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { Model, Replication, StackProvider } from "../lib/config/model";
import { accountProvider } from "../lib/constructs/account-provider";
import { requireAwsProviderVersion } from "../lib/constructs/aws-provider-version";
import { type ManagedBucketResources, managedBucket } from "../lib/constructs/managed-bucket";
import { replicationResources } from "../lib/constructs/replication-resources";
import { handOverSharedDestinations } from "../lib/constructs/shared-destination-handover";
import { stateBackend } from "../lib/constructs/state-backend";
import { managedBucketAddress, STACK_TAG } from "../lib/naming";
import { LiteralStack } from "./literal-stack";

export const MANAGED_BY_TAG = { "managed-by": "s3-cross-account-replication" } as const;

/** Default tags for every provider of a stack. */
export function stackTags(project: Pick<Model, "tags">, stackName: string): Record<string, string> {
  return { ...project.tags, ...MANAGED_BY_TAG, [STACK_TAG]: stackName };
}

export type Project = Pick<Model, "backend" | "tags" | "awsProviderVersion">;

/** A stack's backend, provider version and providers (each pinned to its account); returns them by alias. */
export function stackFoundation(
  stack: LiteralStack,
  providers: readonly StackProvider[],
  project: Project,
): (alias: string) => AwsProvider {
  stateBackend(stack, stack.node.id, project.backend);
  requireAwsProviderVersion(stack, project.awsProviderVersion);
  const tags = stackTags(project, stack.node.id);
  const byAlias = new Map(providers.map((p) => [p.alias, accountProvider(stack, { ...p, tags })]));
  return (alias) => {
    const provider = byAlias.get(alias);
    if (!provider) throw new Error(`internal: no provider "${alias}"`);
    return provider;
  };
}

/** The versioning (and creation) of the buckets a replication's part of its stack manages, by bucket. */
export function managedBucketsOf(
  scope: Construct,
  replication: Replication,
  provider: (alias: string) => AwsProvider,
  grouped: boolean,
): Array<[string, ManagedBucketResources]> {
  return replication.managedBuckets.map((managed) => [
    managed.location.bucket,
    managedBucket(scope, {
      address: managedBucketAddress(managed.role, managed.location.bucket, grouped),
      location: managed.location,
      provider: provider(managed.providerAlias),
      ownPolicy: managed.needsOwnPolicy,
    }),
  ]);
}

/**
 * One source bucket's replication, across its accounts (the per-bucket layout): versioning (and
 * creation) of the buckets this stack manages, the role in the source account, a bucket policy on
 * each destination, replica keys, the replication configuration and its alarms
 * (lib/constructs/replication-resources.ts). A shared destination's side is left to its
 * destination stack (stacks/destination-stack.ts): nothing here writes to that bucket or its key.
 */
export class ReplicationStack extends LiteralStack {
  constructor(scope: Construct, replication: Replication, project: Project) {
    super(scope, replication.stackName);
    const provider = stackFoundation(
      this,
      [
        { alias: "source", account: replication.source.account, region: replication.source.region },
        ...replication.destinationProviders,
      ],
      project,
    );
    const managed = new Map(managedBucketsOf(this, replication, provider, false));
    replicationResources(this, replication, { grouped: false, provider, managed, sharedSides: new Map() });
    handOverSharedDestinations(this, replication.destinations);
  }
}
