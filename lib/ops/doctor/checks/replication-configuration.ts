import { GetBucketReplicationCommand } from "@aws-sdk/client-s3";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import type { DestinationBucket } from "../../../config/model";
import { replicaKeyId } from "../../../policies/kms-policies";
import { differences, expectedRule, normalizeLiveRule } from "../../expected-replication";
import { attempt, clientsOf, type DoctorContext, replicaKeyArn } from "../doctor-context";

/** The source bucket's live replication configuration is the one the stack declares. */
export async function checkReplicationConfiguration(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const base = {
    stack: replication.stackName,
    check: "replication configuration",
    resource: replication.source.arn,
    help: HELP.notReplicating,
  };
  return attempt(base, async () => {
    const keys = new Map<string, string | undefined>();
    for (const d of replication.destinations) {
      // A shared destination's key is named by its alias ARN in the rule, as the stack writes it.
      const resolved = await replicaKeyArn(ctx, d);
      keys.set(d.bucket, d.replicaKms && resolved ? replicaKeyId(d, () => resolved) : resolved);
    }
    const live = await clientsOf(ctx, replication.source)
      .s3.send(new GetBucketReplicationCommand({ Bucket: replication.source.bucket }))
      .catch((error: Error) => {
        if (error.name === "ReplicationConfigurationNotFoundError") return undefined;
        throw error;
      });
    if (!live) return fail({ ...base, detail: "the bucket has no replication configuration: apply the stack" });
    const configuration = live.ReplicationConfiguration;
    const problems: string[] = [];
    if (configuration?.Role !== replication.role.arn) {
      problems.push(`Role: ${JSON.stringify(configuration?.Role ?? null)}, expected "${replication.role.arn}"`);
    }
    const liveRules = configuration?.Rules ?? [];
    for (const rule of replication.rules) {
      const found = liveRules.find((r) => r.ID === rule.id);
      if (!found) {
        problems.push(`rule ${rule.id}: missing`);
        continue;
      }
      const expected = expectedRule(rule, (d: DestinationBucket) => keys.get(d.bucket));
      for (const d of differences(expected, normalizeLiveRule(found as unknown as Record<string, unknown>))) {
        problems.push(`rule ${rule.id}: ${d}`);
      }
    }
    for (const extra of liveRules.filter((r) => !replication.rules.some((rule) => rule.id === r.ID))) {
      problems.push(`rule ${extra.ID}: not in the stack`);
    }
    return problems.length === 0
      ? pass({ ...base, help: undefined, detail: `${replication.rules.length} rule(s) as declared` })
      : fail({ ...base, detail: problems.join("; ") });
  });
}
