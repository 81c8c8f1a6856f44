/**
 * The replication configuration a stack declares, in the shape S3's GetBucketReplication returns,
 * so that doctor can compare the live one field by field.
 */
import type { DestinationBucket, Rule } from "../config/model";
import { isJsonObject, type JsonObject, objectAt, valueAt } from "../json";

function filterOf(rule: Rule): JsonObject {
  const { prefix, tags } = rule.filter;
  if (tags.length === 0) return prefix ? { Prefix: prefix } : {};
  if (tags.length === 1 && !prefix) return { Tag: { Key: tags[0][0], Value: tags[0][1] } };
  return { And: { ...(prefix ? { Prefix: prefix } : {}), Tags: tags.map(([Key, Value]) => ({ Key, Value })) } };
}

export function expectedRule(rule: Rule, replicaKeyArn: (d: DestinationBucket) => string | undefined): JsonObject {
  const status = (on: boolean) => (on ? "Enabled" : "Disabled");
  const keyArn = rule.replicateSseKms ? replicaKeyArn(rule.destination) : undefined;
  return {
    ID: rule.id,
    Priority: rule.priority,
    Status: status(rule.enabled),
    Filter: filterOf(rule),
    DeleteMarkerReplication: { Status: status(rule.deleteMarkerReplication) },
    ...(rule.replicateSseKms || rule.replicaModifications
      ? {
          SourceSelectionCriteria: {
            ...(rule.replicateSseKms ? { SseKmsEncryptedObjects: { Status: "Enabled" } } : {}),
            ...(rule.replicaModifications ? { ReplicaModifications: { Status: "Enabled" } } : {}),
          },
        }
      : {}),
    Destination: {
      Bucket: rule.destination.arn,
      Account: rule.destination.account.accountId,
      ...(rule.ownerOverride ? { AccessControlTranslation: { Owner: "Destination" } } : {}),
      ...(rule.storageClass ? { StorageClass: rule.storageClass } : {}),
      ...(keyArn ? { EncryptionConfiguration: { ReplicaKmsKeyID: keyArn } } : {}),
      ...(rule.replicationTimeMinutes
        ? { ReplicationTime: { Status: "Enabled", Time: { Minutes: rule.replicationTimeMinutes } } }
        : {}),
      ...(rule.metrics ? { Metrics: { Status: "Enabled", EventThreshold: { Minutes: 15 } } } : {}),
    },
  };
}

const enabled = (block: unknown): boolean => valueAt(block, "Status") === "Enabled";

/**
 * The fields of a live rule that a stack declares, normalized: an empty prefix is no filter, and
 * Disabled optional blocks are the same as absent ones. Anything else the live rule holds beyond
 * these fields (ExistingObjectReplication Disabled, say) is not the stack's business.
 */
export function normalizeLiveRule(live: JsonObject): JsonObject {
  const filter: Record<string, unknown> = { ...objectAt(live, "Filter") };
  if (filter.Prefix === "") delete filter.Prefix;
  const selection: JsonObject = objectAt(live, "SourceSelectionCriteria") ?? {};
  const destination: JsonObject = objectAt(live, "Destination") ?? {};
  const keep = (entries: Array<[string, unknown]>) =>
    Object.fromEntries(entries.filter(([, v]) => v !== undefined && v !== null));
  const enabledSelection = keep([
    [
      "SseKmsEncryptedObjects",
      enabled(selection.SseKmsEncryptedObjects) ? selection.SseKmsEncryptedObjects : undefined,
    ],
    ["ReplicaModifications", enabled(selection.ReplicaModifications) ? selection.ReplicaModifications : undefined],
  ]);
  return keep([
    ["ID", live.ID],
    ["Priority", live.Priority],
    ["Status", live.Status],
    ["Filter", filter],
    ["DeleteMarkerReplication", live.DeleteMarkerReplication],
    ["SourceSelectionCriteria", Object.keys(enabledSelection).length > 0 ? enabledSelection : undefined],
    [
      "Destination",
      keep([
        ["Bucket", destination.Bucket],
        ["Account", destination.Account],
        ["AccessControlTranslation", destination.AccessControlTranslation],
        ["StorageClass", destination.StorageClass],
        ["EncryptionConfiguration", destination.EncryptionConfiguration],
        ["ReplicationTime", enabled(destination.ReplicationTime) ? destination.ReplicationTime : undefined],
        ["Metrics", enabled(destination.Metrics) ? destination.Metrics : undefined],
      ]),
    ],
  ]);
}

/** Every difference between an expected and a live value, as "path: live value, expected value". */
export function differences(expected: unknown, live: unknown, path = ""): string[] {
  if (isJsonObject(expected) && isJsonObject(live)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(live)])];
    return keys.flatMap((k) => differences(expected[k], live[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(expected) && Array.isArray(live) && expected.length === live.length) {
    return expected.flatMap((v, i) => differences(v, live[i], `${path}[${i}]`));
  }
  return JSON.stringify(expected) === JSON.stringify(live)
    ? []
    : [`${path}: ${JSON.stringify(live ?? null)}, expected ${JSON.stringify(expected ?? null)}`];
}
