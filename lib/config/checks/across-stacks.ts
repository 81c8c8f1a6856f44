import { stackName } from "../../naming";
import type { ConfigIssue } from "../config-error";
import { type Check, issue } from "./check";

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
    const s = sources.findIndex((other) => stackName(other) === stackName(bucket));
    return s !== i
      ? [
          issue(
            ["replications", i, "source", "bucket"],
            `bucket "${bucket}" gives the same stack name as replications[${s}] (${stackName(bucket)}): stack names replace dots with hyphens; use separate config files for these two buckets`,
          ),
        ]
      : [];
  });
};

/** A bucket policy has one owner: the stack that replicates into the bucket. */
export const checkOneSourcePerDestination: Check = (config) => {
  const receivers = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  config.replications.forEach((r, i) => {
    r.rules.forEach((rule, j) => {
      const bucket = rule.destination.bucket;
      const receiver = receivers.get(bucket);
      if (receiver === undefined) receivers.set(bucket, i);
      else if (receiver !== i) {
        issues.push(
          issue(
            ["replications", i, "rules", j, "destination", "bucket"],
            `bucket "${bucket}" already receives from replications[${receiver}]: a bucket policy has one owner, so one destination bucket can take replicas from one source bucket only`,
          ),
        );
      }
    });
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
