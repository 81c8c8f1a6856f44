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
