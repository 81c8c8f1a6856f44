import { defaultReplicaKeyAlias } from "../../naming";
import type { ConfigIssue } from "../config-error";
import type { Config } from "../schema";
import { type Check, eachRule, issue, regionOf } from "./check";

/** The Region and account of a KMS key ARN. */
function keyLocation(arn: string): { region: string; account: string } {
  const [, , , region, account] = arn.split(":");
  return { region, account };
}

export const checkSseKms: Check = (config) =>
  eachRule(config, (rule, path, r) => {
    const issues: ConfigIssue[] = [];
    const kms = rule.destination.replicaKms;
    if (rule.replicateSseKms && !kms) {
      issues.push(
        issue(
          [...path, "destination", "replicaKms"],
          "replicating SSE-KMS objects needs a replica key in the destination Region: set replicaKms.keyArn, or replicaKms.create: true",
        ),
      );
    }
    if (rule.replicateSseKms && (r.source.sseKmsKeyArns ?? []).length === 0) {
      issues.push(
        issue(
          [...path, "replicateSseKms"],
          "the role must be allowed to decrypt source objects: list the keys that encrypt them in source.sseKmsKeyArns",
        ),
      );
    }
    if (kms && !rule.replicateSseKms) {
      issues.push(
        issue(
          [...path, "destination", "replicaKms"],
          "a replica key is used only for SSE-KMS objects: set replicateSseKms: true on this rule, or remove replicaKms",
        ),
      );
    }
    if (kms && Boolean(kms.keyArn) === Boolean(kms.create)) {
      issues.push(
        issue(
          [...path, "destination", "replicaKms"],
          "name exactly one key: keyArn (an existing key) or create: true (a key this stack creates)",
        ),
      );
    }
    if (kms?.alias && !kms.create) {
      issues.push(
        issue(
          [...path, "destination", "replicaKms", "alias"],
          "alias names a key this stack creates: add create: true, or remove alias",
        ),
      );
    }
    const destinationRegion = regionOf(config, rule.destination);
    if (kms?.keyArn && destinationRegion && keyLocation(kms.keyArn).region !== destinationRegion) {
      issues.push(
        issue(
          [...path, "destination", "replicaKms", "keyArn"],
          `the replica key must be in the destination bucket's Region (${destinationRegion}), not ${keyLocation(kms.keyArn).region}`,
        ),
      );
    }
    return issues;
  });

export const checkSourceKeys: Check = (config: Config) =>
  config.replications.flatMap((r, i) => {
    const keys = r.source.sseKmsKeyArns ?? [];
    const path = ["replications", i, "source", "sseKmsKeyArns"];
    const region = regionOf(config, r.source);
    const issues: ConfigIssue[] = keys.flatMap((arn, k) =>
      region && keyLocation(arn).region !== region
        ? [
            issue(
              [...path, k],
              `a key that encrypts source objects is in the source bucket's Region (${region}), not ${keyLocation(arn).region}`,
            ),
          ]
        : [],
    );
    if (keys.length > 0 && !r.rules.some((rule) => rule.replicateSseKms)) {
      issues.push(
        issue(
          path,
          "no rule replicates SSE-KMS objects, so the role needs no key: set replicateSseKms on a rule, or remove sseKmsKeyArns",
        ),
      );
    }
    return issues;
  });

/** Rules into one destination bucket must agree on its replica key. */
export const checkReplicaKeyAgreement: Check = (config) =>
  eachRule(config, (rule, path, r, j) => {
    const k = r.rules.findIndex((other) => other.destination.bucket === rule.destination.bucket);
    if (k === j) return [];
    const first = JSON.stringify(r.rules[k].destination.replicaKms ?? null);
    return first === JSON.stringify(rule.destination.replicaKms ?? null)
      ? []
      : [
          issue(
            [...path, "destination", "replicaKms"],
            `rules[${k}] names another replica key for "${rule.destination.bucket}": use one key per destination bucket`,
          ),
        ];
  });

/**
 * Replica keys the stacks create need distinct aliases in each account and Region: KMS refuses a
 * second alias of the same name there, and the apply of the second key's stack would fail halfway.
 * One created key per destination bucket (rules into one bucket share it), wherever the config
 * names it.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
 */
export const checkReplicaKeyAliases: Check = (config) => {
  const firstBucketOfAlias = new Map<string, string>();
  const seenBuckets = new Set<string>();
  return eachRule(config, (rule, path) => {
    const { destination } = rule;
    const kms = destination.replicaKms;
    if (!kms?.create || seenBuckets.has(destination.bucket)) return [];
    seenBuckets.add(destination.bucket);
    const alias = kms.alias ?? defaultReplicaKeyAlias(destination.bucket);
    const where = `${destination.account}|${regionOf(config, destination)}|${alias}`;
    const other = firstBucketOfAlias.get(where);
    if (other === undefined) {
      firstBucketOfAlias.set(where, destination.bucket);
      return [];
    }
    return [
      issue(
        [...path, "destination", "replicaKms", ...(kms.alias ? ["alias"] : [])],
        `the replica key created for ${destination.bucket} would take the alias ${alias}, which the key created for ${other} already has in account "${destination.account}" (aliases are unique per account and Region): give one of them its own replicaKms.alias`,
      ),
    ];
  });
};
