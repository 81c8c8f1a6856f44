import { partitionOf, roleArn } from "../../arn";
import { iamWildcard } from "../../iam-wildcard";
import { BUCKET_POLICY_SIDS, defaultRoleName, destinationStackName, replicationId, TLS_ONLY_SID } from "../../naming";
import type { ConfigIssue } from "../config-error";
import { accountNamed } from "../model";
import { sharedBucketNames } from "../shared-buckets";
import { type Check, eachRule, issue, type Path, regionOf } from "./check";

export const checkSourcesUnique: Check = (config) => {
  const sources = config.replications.map((r) => r.source.bucket);
  return sources.flatMap((bucket, i) => {
    const k = sources.indexOf(bucket);
    if (k !== i) {
      return [
        issue(
          ["replications", i, "source", "bucket"],
          `bucket "${bucket}" is already the source in replications[${k}]: S3 keeps one replication configuration per bucket, so put all its rules in one entry`,
        ),
      ];
    }
    const s = sources.findIndex((other) => replicationId(other) === replicationId(bucket));
    return s !== i
      ? [
          issue(
            ["replications", i, "source", "bucket"],
            `bucket "${bucket}" gives the same stack name as replications[${s}] (${replicationId(bucket)}): stack names replace dots with hyphens; use separate config files for these two buckets`,
          ),
        ]
      : [];
  });
};

/** The path of a config location, as people read it: `replications[0].rules[1]`. */
function pathText(path: Path): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .slice(1);
}

/**
 * A shared destination has one owner, its destination stack: what only that stack writes (the
 * bucket policy, the replica key) is said once, under sharedDestinations, and agrees for every source.
 */
export const checkSharedDestinations: Check = (config) => {
  const shared = sharedBucketNames(config);
  const issues: ConfigIssue[] = [];
  const destinations = new Set(config.replications.flatMap((r) => r.rules.map((rule) => rule.destination.bucket)));
  for (const bucket of Object.keys(config.sharedDestinations)) {
    if (!destinations.has(bucket)) {
      issues.push(
        issue(
          ["sharedDestinations", bucket],
          `"${bucket}" is not the destination of any rule: a shared destination is a bucket that rules replicate into`,
        ),
      );
    }
  }
  const firstKey = new Map<string, { path: Path; kms: string }>();
  eachRule(config, (rule, path, r, _j, i) => {
    const bucket = rule.destination.bucket;
    if (!shared.includes(bucket)) return [];
    const kms = JSON.stringify(rule.destination.replicaKms ?? null);
    const first = firstKey.get(bucket);
    if (!first) firstKey.set(bucket, { path, kms });
    else if (first.kms !== kms && first.path[1] !== i) {
      issues.push(
        issue(
          [...path, "destination", "replicaKms"],
          `${pathText(first.path)} names another replica key for the shared bucket "${bucket}": every source must name the same replicaKms`,
        ),
      );
    }
    const organization = Object.hasOwn(config.sharedDestinations, bucket)
      ? config.sharedDestinations[bucket].organization
      : undefined;
    const role = roleArn(
      partitionOf(regionOf(config, r.source) ?? ""),
      accountNamed(config, r.source.account)?.accountId ?? "",
      r.role.path,
      r.role.name ?? defaultRoleName(r.source.bucket),
    );
    const pattern = organization && `arn:*:iam::*:role/${organization.roleNamePattern}`;
    if (pattern && !iamWildcard(pattern, role)) {
      issues.push(
        issue(
          ["replications", i, "role"],
          `the role ${role} does not match sharedDestinations["${bucket}"].organization.roleNamePattern (${organization.roleNamePattern}), so the shared bucket would refuse its replicas: rename the role or widen the pattern`,
        ),
      );
    }
    return [];
  });
  config.replications.forEach((r, i) => {
    for (const bucket of Object.keys(r.destinationPolicies)) {
      if (shared.includes(bucket)) {
        issues.push(
          issue(
            ["replications", i, "destinationPolicies", bucket],
            `"${bucket}" is shared by several sources, so its bucket policy belongs to its destination stack: move these statements to sharedDestinations["${bucket}"].additionalStatements`,
          ),
        );
      }
    }
  });
  const sids: string[] = Object.values(BUCKET_POLICY_SIDS);
  for (const [bucket, destination] of Object.entries(config.sharedDestinations)) {
    destination.additionalStatements.forEach((statement, k) => {
      if (statement.Sid && (sids.some((sid) => statement.Sid?.startsWith(sid)) || statement.Sid === TLS_ONLY_SID)) {
        issues.push(
          issue(
            ["sharedDestinations", bucket, "additionalStatements", k, "Sid"],
            `Sid "${statement.Sid}" is one of the statements this project writes: choose another Sid`,
          ),
        );
      }
    });
  }
  config.replications.forEach((r, i) => {
    const bucket = shared.find((b) => destinationStackName(b) === replicationId(r.source.bucket));
    if (bucket) {
      issues.push(
        issue(
          ["replications", i, "source", "bucket"],
          `bucket "${r.source.bucket}" gives the same stack name as the destination stack of the shared bucket "${bucket}" (${replicationId(r.source.bucket)}): use separate config files for these buckets`,
        ),
      );
    }
  });
  return issues;
};

export const checkStateBucket: Check = (config) => {
  if (config.backend.type !== "s3") return [];
  const state = config.backend.bucket;
  const used = config.replications.some(
    (r) => r.source.bucket === state || r.rules.some((rule) => rule.destination.bucket === state),
  );
  return used
    ? [
        issue(
          ["backend", "bucket"],
          `"${state}" also takes part in replication: keep Terraform state in a bucket of its own`,
        ),
      ]
    : [];
};
