import { partitionOf } from "../../arn";
import { bucketNameProblem } from "../bucket-name";
import type { ConfigIssue } from "../config-error";
import type { Config, DestinationConfig, SourceConfig } from "../schema";
import { type Check, eachRule, issue, type Path, regionOf } from "./check";

interface Mention {
  readonly path: Path;
  readonly ref: SourceConfig | DestinationConfig;
}

/** Every place a replication bucket is named, in config order. */
function mentions(config: Config): Mention[] {
  return config.replications.flatMap((r, i) => [
    { path: ["replications", i, "source"], ref: r.source },
    ...r.rules.map((rule, j) => ({ path: ["replications", i, "rules", j, "destination"], ref: rule.destination })),
  ]);
}

export const checkBucketNames: Check = (config) => {
  const names: Array<{ path: Path; name: string }> = [];
  if (config.backend.type === "s3") names.push({ path: ["backend", "bucket"], name: config.backend.bucket });
  for (const { path, ref } of mentions(config)) names.push({ path: [...path, "bucket"], name: ref.bucket });
  config.replications.forEach((r, i) => {
    for (const name of Object.keys(r.destinationPolicies)) {
      names.push({ path: ["replications", i, "destinationPolicies", name], name });
    }
  });
  return names.flatMap(({ path, name }) => {
    const problem = bucketNameProblem(name);
    return problem ? [issue(path, `"${name}" is not a valid S3 bucket name: it ${problem}`)] : [];
  });
};

export const checkSelfReplication: Check = (config) =>
  eachRule(config, (rule, path, r) =>
    rule.destination.bucket === r.source.bucket
      ? [
          issue(
            [...path, "destination", "bucket"],
            `replicates bucket "${r.source.bucket}" into itself: name a different destination bucket`,
          ),
        ]
      : [],
  );

/** Every mention of one bucket must describe the same bucket: a bucket has one account, Region, ... */
export const checkConsistentMentions: Check = (config) => {
  const first = new Map<string, Mention>();
  const issues: ConfigIssue[] = [];
  for (const mention of mentions(config)) {
    const earlier = first.get(mention.ref.bucket);
    if (!earlier) {
      first.set(mention.ref.bucket, mention);
      continue;
    }
    const differs: string[] = [];
    if (earlier.ref.account !== mention.ref.account) differs.push("account");
    if (regionOf(config, earlier.ref) !== regionOf(config, mention.ref)) differs.push("region");
    for (const field of ["create", "objectLock", "objectOwnership", "bucketKeyEnabled"] as const) {
      if ((earlier.ref[field] ?? false) !== (mention.ref[field] ?? false)) differs.push(field);
    }
    if (differs.length > 0) {
      const where = earlier.path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
        .join("")
        .slice(1);
      issues.push(
        issue(
          mention.path,
          `bucket "${mention.ref.bucket}" is described differently in ${where} (${differs.join(", ")}): one bucket has one account, Region and settings; make every mention match`,
        ),
      );
    }
  }
  return issues;
};

export const checkPartitions: Check = (config) =>
  eachRule(config, (rule, path, r) => {
    const sourceRegion = regionOf(config, r.source);
    const region = regionOf(config, rule.destination);
    return sourceRegion && region && partitionOf(region) !== partitionOf(sourceRegion)
      ? [
          issue(
            [...path, "destination", "region"],
            `S3 cannot replicate between partitions (${sourceRegion} and ${region}): choose a destination in the source's partition`,
          ),
        ]
      : [];
  });

export const checkObjectLock: Check = (config) =>
  eachRule(config, (rule, path, r) =>
    r.source.objectLock && !rule.destination.objectLock
      ? [
          issue(
            [...path, "destination", "objectLock"],
            "the source bucket has Object Lock, so S3 needs Object Lock on the destination too (DstBucketObjectLockConfigMissing): replicate into a bucket with Object Lock and set objectLock: true",
          ),
        ]
      : [],
  );

export const checkObjectOwnership: Check = (config) => [
  ...mentions(config).flatMap(({ path, ref }) =>
    ref.create && ref.objectOwnership && ref.objectOwnership !== "BucketOwnerEnforced"
      ? [
          issue(
            [...path, "objectOwnership"],
            "a created bucket is always BucketOwnerEnforced (ACLs disabled): remove objectOwnership",
          ),
        ]
      : [],
  ),
  ...eachRule(config, (rule, path) => {
    const enforced = rule.destination.create || rule.destination.objectOwnership === "BucketOwnerEnforced";
    return enforced && rule.replicaOwner === "source"
      ? [
          issue(
            [...path, "replicaOwner"],
            'the destination is BucketOwnerEnforced, so it owns every replica whatever the rule says: remove replicaOwner (or set it to "destination")',
          ),
        ]
      : [];
  }),
];
