/**
 * Rules that relate one field to another. They run on a config that passed the schema, and
 * each returns every problem it finds, so a person sees them all at once.
 */
import { partitionOf } from "../arn";
import { BUCKET_POLICY_SIDS, stackName } from "../naming";
import { bucketNameProblem } from "./bucket-name";
import type { ConfigIssue } from "./config-error";
import type { Config, ReplicationConfig } from "./schema";

type Check = (config: Config) => ConfigIssue[];

const checkCredentials: Check = (config) =>
  Object.entries(config.accounts)
    .filter(([, account]) => !account.credentials?.profile && !account.credentials?.roleArn)
    .map(([name]) => ({
      path: ["accounts", name, "credentials"],
      message:
        'no credentials source: set "profile" (an AWS CLI profile, for workstations) or "roleArn" (a role to assume, for pipelines)',
    }));

const checkBackendCredentials: Check = (config) => {
  const credentials = config.backend.type === "s3" ? config.backend.credentials : undefined;
  if (!credentials || credentials.profile || credentials.roleArn) return [];
  return [
    {
      path: ["backend", "credentials"],
      message: 'no credentials source: set "profile" or "roleArn", or leave "credentials" out to use the default chain',
    },
  ];
};

/** Every bucket name in the file, with where it is. */
function bucketNames(config: Config): Array<{ path: Array<string | number>; name: string }> {
  const names: Array<{ path: Array<string | number>; name: string }> = [];
  if (config.backend.type === "s3") names.push({ path: ["backend", "bucket"], name: config.backend.bucket });
  config.replications.forEach((r, i) => {
    names.push({ path: ["replications", i, "source", "bucket"], name: r.source.bucket });
    r.rules.forEach((rule, j) => {
      names.push({ path: ["replications", i, "rules", j, "destination", "bucket"], name: rule.destination.bucket });
    });
    for (const name of Object.keys(r.destinationPolicies)) {
      names.push({ path: ["replications", i, "destinationPolicies", name], name });
    }
  });
  return names;
}

const checkBucketNames: Check = (config) =>
  bucketNames(config).flatMap(({ path, name }) => {
    const problem = bucketNameProblem(name);
    return problem ? [{ path, message: `"${name}" is not a valid S3 bucket name: it ${problem}` }] : [];
  });

const checkAccountReferences: Check = (config) => {
  const known = Object.keys(config.accounts);
  const unknown = (path: Array<string | number>, name: string): ConfigIssue[] =>
    config.accounts[name]
      ? []
      : [{ path, message: `unknown account "${name}": use one of the names under "accounts" (${known.join(", ")})` }];
  return config.replications.flatMap((r, i) => [
    ...unknown(["replications", i, "source", "account"], r.source.account),
    ...r.rules.flatMap((rule, j) =>
      unknown(["replications", i, "rules", j, "destination", "account"], rule.destination.account),
    ),
  ]);
};

/** Reports each value seen before, naming where it was first seen. */
function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string | number,
  issue: (item: T, index: number, firstIndex: number) => ConfigIssue,
): ConfigIssue[] {
  const first = new Map<string | number, number>();
  const issues: ConfigIssue[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else issues.push(issue(item, index, seen));
  });
  return issues;
}

function checkRules(r: ReplicationConfig, i: number): ConfigIssue[] {
  const at = (j: number, ...rest: string[]) => ["replications", i, "rules", j, ...rest];
  return [
    ...r.rules.flatMap((rule, j) =>
      rule.destination.bucket === r.source.bucket
        ? [
            {
              path: at(j, "destination", "bucket"),
              message: `replicates bucket "${r.source.bucket}" into itself: name a different destination bucket`,
            },
          ]
        : [],
    ),
    ...r.rules.flatMap((rule, j) =>
      rule.deleteMarkerReplication && Object.keys(rule.filter?.tags ?? {}).length > 0
        ? [
            {
              path: at(j, "deleteMarkerReplication"),
              message:
                "S3 rejects delete-marker replication in a rule with a tag filter: set deleteMarkerReplication to false, or remove filter.tags",
            },
          ]
        : [],
    ),
    ...duplicates(
      r.rules,
      (rule) => rule.id,
      (rule, j, k) => ({
        path: at(j, "id"),
        message: `duplicate rule id "${rule.id}" (also in rules[${k}]): give each rule its own id`,
      }),
    ),
    ...duplicates(
      r.rules,
      (rule) => rule.priority,
      (rule, j, k) => ({
        path: at(j, "priority"),
        message: `duplicate priority ${rule.priority} (also in rules[${k}]): S3 needs a distinct priority per rule`,
      }),
    ),
    ...r.rules.flatMap((rule, j) => {
      const k = r.rules.findIndex((other) => other.destination.bucket === rule.destination.bucket);
      const other = r.rules[k].destination;
      const sameLocation = other.account === rule.destination.account && other.region === rule.destination.region;
      return sameLocation
        ? []
        : [
            {
              path: at(j, "destination"),
              message: `bucket "${rule.destination.bucket}" is named with another account or region in rules[${k}]: a bucket lives in one account and Region; make them match`,
            },
          ];
    }),
  ];
}

function checkPartitions(config: Config, r: ReplicationConfig, i: number): ConfigIssue[] {
  const regionOf = (ref: { account: string; region?: string }) => ref.region ?? config.accounts[ref.account]?.region;
  const sourceRegion = regionOf(r.source);
  if (!sourceRegion) return [];
  return r.rules.flatMap((rule, j) => {
    const region = regionOf(rule.destination);
    return region && partitionOf(region) !== partitionOf(sourceRegion)
      ? [
          {
            path: ["replications", i, "rules", j, "destination", "region"],
            message: `S3 cannot replicate between partitions (${sourceRegion} and ${region}): choose a destination in the source's partition`,
          },
        ]
      : [];
  });
}

function checkDestinationPolicies(r: ReplicationConfig, i: number): ConfigIssue[] {
  const destinations = new Set(r.rules.map((rule) => rule.destination.bucket));
  return Object.entries(r.destinationPolicies).flatMap(([bucket, policy]) => {
    const path = ["replications", i, "destinationPolicies", bucket];
    if (!destinations.has(bucket)) {
      return [
        {
          path,
          message: `"${bucket}" is not the destination of any rule: use a destination bucket name (${[...destinations].join(", ")})`,
        },
      ];
    }
    return policy.additionalStatements.flatMap((statement, k) =>
      statement.Sid && Object.values<string>(BUCKET_POLICY_SIDS).includes(statement.Sid)
        ? [
            {
              path: [...path, "additionalStatements", k, "Sid"],
              message: `Sid "${statement.Sid}" is the replication grant's own: choose another Sid`,
            },
          ]
        : [],
    );
  });
}

const checkEachReplication: Check = (config) =>
  config.replications.flatMap((r, i) => [
    ...checkRules(r, i),
    ...checkPartitions(config, r, i),
    ...checkDestinationPolicies(r, i),
  ]);

const checkAcrossReplications: Check = (config) => {
  const sources = config.replications.map((r, i) => ({ bucket: r.source.bucket, i }));
  const sourceIndex = new Map(sources.map((s) => [s.bucket, s.i]));
  const issues = [
    ...duplicates(
      sources,
      (s) => s.bucket,
      (s, i, k) => ({
        path: ["replications", i, "source", "bucket"],
        message: `bucket "${s.bucket}" is already the source in replications[${k}]: S3 keeps one replication configuration per bucket, so put all its rules in one entry`,
      }),
    ),
    ...sources.flatMap((s, i) => {
      const k = sources.findIndex((other) => stackName(other.bucket) === stackName(s.bucket));
      return sources[k].bucket === s.bucket
        ? []
        : [
            {
              path: ["replications", i, "source", "bucket"],
              message: `bucket "${s.bucket}" gives the same stack name as replications[${k}] (${stackName(s.bucket)}): stack names replace dots with hyphens; use separate config files for these two buckets`,
            },
          ];
    }),
  ];
  const receivers = new Map<string, number>();
  config.replications.forEach((r, i) => {
    r.rules.forEach((rule, j) => {
      const path = ["replications", i, "rules", j, "destination", "bucket"];
      const bucket = rule.destination.bucket;
      const otherSource = sourceIndex.get(bucket);
      if (otherSource !== undefined && otherSource !== i) {
        issues.push({
          path,
          message: `bucket "${bucket}" is also the source of replications[${otherSource}]: two-way and chained replication are not supported yet; replicate each bucket in one direction`,
        });
      }
      const receiver = receivers.get(bucket);
      if (receiver === undefined) receivers.set(bucket, i);
      else if (receiver !== i) {
        issues.push({
          path,
          message: `bucket "${bucket}" already receives from replications[${receiver}]: a bucket policy has one owner, so one destination bucket can take replicas from one source bucket only`,
        });
      }
    });
  });
  return issues;
};

const CHECKS: readonly Check[] = [
  checkCredentials,
  checkBackendCredentials,
  checkBucketNames,
  checkAccountReferences,
  checkEachReplication,
  checkAcrossReplications,
];

export function semanticIssues(config: Config): ConfigIssue[] {
  return CHECKS.flatMap((check) => check(config));
}
