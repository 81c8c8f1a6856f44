/**
 * After the apply: what landed in each account, read back with that account's credentials,
 * compared field by field with what the config asks for. Policies are compared with the
 * documents the project's pure policy functions make from the same config.
 */
import type { DestinationBucket, Model, Replication, Rule, SharedDestination } from "../../lib/config/model";
import type { Json } from "../../lib/json";
import { BATCH_ROLE_POLICY_NAME, ROLE_KMS_POLICY_NAME, ROLE_POLICY_NAME } from "../../lib/naming";
import { batchRolePolicy, batchTrustPolicy } from "../../lib/policies/batch-policies";
import { destinationBucketPolicy, sharedDestinationBucketPolicy } from "../../lib/policies/destination-bucket-policy";
import {
  kmsDestinations,
  replicaKeyId,
  replicaKeyPolicy,
  replicaKeyResource,
  roleKmsPolicy,
  sharedReplicaKeyPolicy,
} from "../../lib/policies/kms-policies";
import { rolePolicy } from "../../lib/policies/role-policy";
import { tlsOnlyPolicy } from "../../lib/policies/tls-only";
import { trustPolicy } from "../../lib/policies/trust-policy";
import { type AccountState, type BucketState, canonical, type Snapshot } from "./snapshot";

type Problems = string[];

function same(problems: Problems, what: string, live: unknown, expected: unknown): void {
  if (canonical(live ?? null) !== canonical(expected ?? null)) {
    problems.push(`${what}: is ${canonical(live ?? null)}, expected ${canonical(expected ?? null)}`);
  }
}

export function accountState(snapshot: Snapshot, accountId: string): AccountState {
  const state = snapshot.get(accountId);
  if (!state) throw new Error(`no snapshot of account ${accountId}`);
  return state;
}

export function bucketState(snapshot: Snapshot, accountId: string, bucket: string): BucketState | undefined {
  return accountState(snapshot, accountId).buckets.find((b) => b.name === bucket);
}

/** The created replica key of a destination, found as AWS shows it: through its alias. */
export function createdKeyArn(snapshot: Snapshot, d: DestinationBucket): string | undefined {
  if (d.replicaKms?.kind !== "created") return undefined;
  const account = accountState(snapshot, d.account.accountId);
  const alias = d.replicaKms.alias;
  const target = account.aliases.find((a) => a.name === alias && a.region === d.region)?.targetKeyId;
  return account.keys.find((k) => k.arn.endsWith(`/${target}`))?.arn;
}

/** A rule as GetBucketReplication answers it (S3's API shape), from the config alone. */
export function expectedRule(rule: Rule, replicaKeyArn: (d: DestinationBucket) => string | undefined): Json {
  const tags = rule.filter.tags.map(([Key, Value]) => ({ Key, Value }));
  const filter =
    tags.length === 0
      ? rule.filter.prefix
        ? { Prefix: rule.filter.prefix }
        : {}
      : tags.length === 1 && !rule.filter.prefix
        ? { Tag: tags[0] }
        : { And: { ...(rule.filter.prefix ? { Prefix: rule.filter.prefix } : {}), Tags: tags } };
  const selection = {
    ...(rule.replicateSseKms ? { SseKmsEncryptedObjects: { Status: "Enabled" } } : {}),
    ...(rule.replicaModifications ? { ReplicaModifications: { Status: "Enabled" } } : {}),
  };
  const d = rule.destination;
  return {
    ID: rule.id,
    Priority: rule.priority,
    Status: rule.enabled ? "Enabled" : "Disabled",
    Filter: filter,
    DeleteMarkerReplication: { Status: rule.deleteMarkerReplication ? "Enabled" : "Disabled" },
    ...(Object.keys(selection).length > 0 ? { SourceSelectionCriteria: selection } : {}),
    Destination: {
      Bucket: d.arn,
      Account: d.account.accountId,
      ...(rule.ownerOverride ? { AccessControlTranslation: { Owner: "Destination" } } : {}),
      ...(rule.storageClass ? { StorageClass: rule.storageClass } : {}),
      ...(rule.replicateSseKms && d.replicaKms
        ? { EncryptionConfiguration: { ReplicaKmsKeyID: replicaKeyArn(d) } }
        : {}),
      ...(rule.replicationTimeMinutes
        ? { ReplicationTime: { Status: "Enabled", Time: { Minutes: rule.replicationTimeMinutes } } }
        : {}),
      ...(rule.metrics ? { Metrics: { Status: "Enabled", EventThreshold: { Minutes: 15 } } } : {}),
    },
  };
}

/**
 * The live rule with its tag list in key order, as the expectation has it. An empty prefix filter
 * is the empty filter: both select every object. The provider writes `filter {}` as `<Filter/>`
 * on create and as an empty `<Prefix>` on update, and plans no change between them.
 */
function normalizedRule(live: Json): Json {
  const tags = live.Filter?.And?.Tags;
  if (canonical(live.Filter ?? {}) === canonical({ Prefix: "" })) return { ...live, Filter: {} };
  if (!Array.isArray(tags)) return { ...live, Filter: live.Filter ?? {} };
  const sorted = [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  return { ...live, Filter: { ...live.Filter, And: { ...live.Filter.And, Tags: sorted } } };
}

function checkRoles(problems: Problems, snapshot: Snapshot, r: Replication, keyArn: (d: DestinationBucket) => string) {
  const roles = accountState(snapshot, r.source.account.accountId).roles;
  const role = roles.find((x) => x.name === r.role.name);
  if (!role) {
    problems.push(`role ${r.role.name}: missing`);
  } else {
    same(problems, `role ${r.role.name} ARN`, role.arn, r.role.arn);
    same(problems, `role ${r.role.name} permissions boundary`, role.permissionsBoundary, r.role.permissionsBoundary);
    same(problems, `role ${r.role.name} trust policy`, role.trustPolicy, trustPolicy(r));
    same(problems, `role ${r.role.name} ${ROLE_POLICY_NAME}`, role.inlinePolicies[ROLE_POLICY_NAME], rolePolicy(r));
    same(
      problems,
      `role ${r.role.name} ${ROLE_KMS_POLICY_NAME}`,
      role.inlinePolicies[ROLE_KMS_POLICY_NAME],
      roleKmsPolicy(r, keyArn),
    );
    const extra = Object.keys(role.inlinePolicies).filter((n) => n !== ROLE_POLICY_NAME && n !== ROLE_KMS_POLICY_NAME);
    if (extra.length > 0) problems.push(`role ${r.role.name}: unexpected inline policies ${extra.join(", ")}`);
  }
  const batch = roles.find((x) => x.name === r.batch.roleName);
  if (!batch) {
    problems.push(`role ${r.batch.roleName}: missing`);
  } else {
    same(problems, `role ${r.batch.roleName} ARN`, batch.arn, r.batch.roleArn);
    same(problems, `role ${r.batch.roleName} trust policy`, batch.trustPolicy, batchTrustPolicy());
    same(
      problems,
      `role ${r.batch.roleName} ${BATCH_ROLE_POLICY_NAME}`,
      batch.inlinePolicies[BATCH_ROLE_POLICY_NAME],
      batchRolePolicy(r),
    );
  }
}

function checkBuckets(problems: Problems, snapshot: Snapshot, r: Replication) {
  for (const b of [r.source, ...r.destinations]) {
    const live = bucketState(snapshot, b.account.accountId, b.bucket);
    if (!live) {
      problems.push(`bucket ${b.bucket}: not in account ${b.account.accountId}`);
      continue;
    }
    same(problems, `bucket ${b.bucket} versioning`, live.versioning, "Enabled");
    same(problems, `bucket ${b.bucket} Region`, live.region, b.region);
    if (b.objectLock) same(problems, `bucket ${b.bucket} Object Lock`, live.objectLock, true);
    if (b.objectOwnership) same(problems, `bucket ${b.bucket} ownership`, live.ownership, b.objectOwnership);
  }
  for (const managed of r.managedBuckets.filter((m) => m.location.create)) {
    checkCreatedSettings(problems, snapshot, managed.location as typeof r.source);
    if (managed.needsOwnPolicy) {
      const live = bucketState(snapshot, managed.location.account.accountId, managed.location.bucket);
      same(problems, `created bucket ${managed.location.bucket} policy`, live?.policy, tlsOnlyPolicy(managed.location));
    }
  }
  // A shared destination's policy is its destination stack's: checked once, in checkShared.
  for (const d of r.destinations.filter((x) => !x.sharedBy)) {
    const live = bucketState(snapshot, d.account.accountId, d.bucket);
    same(problems, `bucket ${d.bucket} policy`, live?.policy, destinationBucketPolicy(r, d));
  }
}

/** What a stack gives a bucket it creates: public access blocked, ACLs disabled, SSE-S3. */
function checkCreatedSettings(problems: Problems, snapshot: Snapshot, location: Replication["source"]) {
  const { bucket, account } = location;
  const live = bucketState(snapshot, account.accountId, bucket);
  if (!live) return;
  same(problems, `created bucket ${bucket} public access block`, live.publicAccessBlock, {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  same(problems, `created bucket ${bucket} ownership`, live.ownership, "BucketOwnerEnforced");
  same(
    problems,
    `created bucket ${bucket} default encryption`,
    live.encryption?.map((rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm),
    ["AES256"],
  );
}

/** A shared destination's side, written by its destination stack: settings, policy, key. */
function checkShared(problems: Problems, snapshot: Snapshot, shared: SharedDestination) {
  const d = shared.destination;
  if (d.create) checkCreatedSettings(problems, snapshot, { ...d, sseKmsKeyArns: [] });
  const live = bucketState(snapshot, d.account.accountId, d.bucket);
  same(problems, `shared bucket ${d.bucket} policy`, live?.policy, sharedDestinationBucketPolicy(shared));
  if (d.replicaKms?.kind !== "created") return;
  const arn = createdKeyArn(snapshot, d);
  const key = accountState(snapshot, d.account.accountId).keys.find((k) => k.arn === arn);
  if (!key) {
    problems.push(`shared replica key ${d.replicaKms.alias}: missing in ${d.account.accountId} ${d.region}`);
    return;
  }
  same(problems, `shared replica key ${d.replicaKms.alias} rotation`, key.rotation, true);
  same(problems, `shared replica key ${d.replicaKms.alias} policy`, key.policy, sharedReplicaKeyPolicy(shared));
}

function checkReplication(
  problems: Problems,
  snapshot: Snapshot,
  r: Replication,
  keyArn: (d: DestinationBucket) => string,
) {
  const live = bucketState(snapshot, r.source.account.accountId, r.source.bucket)?.replication;
  if (!live) {
    problems.push(`bucket ${r.source.bucket}: no replication configuration`);
    return;
  }
  same(problems, `replication of ${r.source.bucket} Role`, live.Role, r.role.arn);
  const liveRules: Json[] = live.Rules ?? [];
  same(
    problems,
    `replication of ${r.source.bucket} rule ids`,
    liveRules.map((x) => x.ID).sort(),
    r.rules.map((x) => x.id).sort(),
  );
  for (const rule of r.rules) {
    const found = liveRules.find((x) => x.ID === rule.id);
    if (found) same(problems, `rule ${rule.id}`, normalizedRule(found), expectedRule(rule, keyArn));
  }
}

function checkKeys(problems: Problems, snapshot: Snapshot, r: Replication) {
  for (const d of kmsDestinations(r)) {
    if (d.replicaKms?.kind !== "created" || d.sharedBy) continue;
    const arn = createdKeyArn(snapshot, d);
    const key = accountState(snapshot, d.account.accountId).keys.find((k) => k.arn === arn);
    if (!key) {
      problems.push(`replica key ${d.replicaKms.alias}: missing in ${d.account.accountId} ${d.region}`);
      continue;
    }
    same(problems, `replica key ${d.replicaKms.alias} rotation`, key.rotation, true);
    same(problems, `replica key ${d.replicaKms.alias} policy`, key.policy, replicaKeyPolicy(r, d));
  }
}

function checkAlarms(problems: Problems, snapshot: Snapshot, r: Replication) {
  if (!r.monitoring) return;
  const account = accountState(snapshot, r.source.account.accountId);
  let topicArn = r.monitoring.snsTopicArn;
  if (!topicArn) {
    const topic = account.topics.find((t) => t.arn.endsWith(`:${r.stackName}-alarms`));
    if (!topic) {
      problems.push(`SNS topic ${r.stackName}-alarms: missing`);
      return;
    }
    topicArn = topic.arn;
    const emails = topic.subscriptions.filter((s) => s.protocol === "email").map((s) => s.endpoint);
    same(
      problems,
      `SNS topic ${r.stackName}-alarms email subscriptions`,
      emails,
      r.monitoring.email ? [r.monitoring.email] : [],
    );
  }
  const specs = [
    { metricName: "OperationsFailedReplication", statistic: "Sum", threshold: 0 },
    { metricName: "ReplicationLatency", statistic: "Maximum", threshold: r.monitoring.latencyThresholdSeconds },
  ];
  for (const rule of r.rules.filter((x) => x.enabled && x.metrics)) {
    for (const spec of specs) {
      const name = `${r.stackName}/${rule.id}/${spec.metricName}`;
      const alarm = account.alarms.find((a) => a.name === name);
      if (!alarm) {
        problems.push(`alarm ${name}: missing`);
        continue;
      }
      same(
        problems,
        `alarm ${name}`,
        {
          region: alarm.region,
          namespace: alarm.namespace,
          metricName: alarm.metricName,
          statistic: alarm.statistic,
          threshold: alarm.threshold,
          comparisonOperator: alarm.comparisonOperator,
          treatMissingData: alarm.treatMissingData,
          dimensions: alarm.dimensions,
          alarmActions: alarm.alarmActions,
          okActions: alarm.okActions,
        },
        {
          region: r.source.region,
          namespace: "AWS/S3",
          ...spec,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "ignore",
          dimensions: { SourceBucket: r.source.bucket, DestinationBucket: rule.destination.bucket, RuleId: rule.id },
          alarmActions: [topicArn],
          okActions: [topicArn],
        },
      );
    }
  }
}

/** Every difference between what the accounts hold and what the config asks for. */
export function readBackProblems(model: Model, snapshot: Snapshot): string[] {
  const problems: Problems = [];
  for (const r of model.replications) {
    // The rules and the role policy name a key as the stack does (a shared key by alias ARN).
    const created = (d: DestinationBucket) => () => createdKeyArn(snapshot, d) ?? "(no key)";
    checkRoles(problems, snapshot, r, (d) => replicaKeyResource(d, created(d)));
    checkBuckets(problems, snapshot, r);
    checkReplication(problems, snapshot, r, (d) => replicaKeyId(d, created(d)));
    checkKeys(problems, snapshot, r);
    checkAlarms(problems, snapshot, r);
  }
  for (const shared of model.sharedDestinations) checkShared(problems, snapshot, shared);
  return problems;
}
