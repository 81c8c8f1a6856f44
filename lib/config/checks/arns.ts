/**
 * ARNs written in the config must agree with the accounts and Regions they are used with: AWS
 * refuses an ARN of another partition, and a role to assume in another account than the one the
 * provider is pinned to fails every plan.
 */
import { partitionOf } from "../../arn";
import type { ConfigIssue } from "../config-error";
import { accountNamed } from "../model";
import type { Check, Path } from "./check";
import { issue, regionOf } from "./check";

/** `arn:partition:service:region:account:resource` */
function arnParts(arn: string): { partition: string; region: string; account: string } {
  const [, partition = "", , region = "", account = ""] = arn.split(":");
  return { partition, region, account };
}

function partitionIssue(path: Path, arn: string, expected: string, why: string): ConfigIssue[] {
  const { partition } = arnParts(arn);
  return partition === expected
    ? []
    : [issue(path, `is an ARN in partition "${partition}", but ${why} is in "${expected}": write arn:${expected}:...`)];
}

/** ARNs that name their own Region must be in that Region's partition. */
function regionalArn(path: Path, arn: string | undefined): ConfigIssue[] {
  if (!arn) return [];
  const { region } = arnParts(arn);
  return partitionIssue(path, arn, partitionOf(region), `its Region ${region}`);
}

/** Every string in a free-form statement that is an ARN, with its path. */
function statementArns(value: unknown, path: Path): Array<{ path: Path; arn: string }> {
  if (typeof value === "string") return value.startsWith("arn:") ? [{ path, arn: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, k) => statementArns(v, [...path, k]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) => statementArns(v, [...path, key]));
  }
  return [];
}

export const checkArnPartitions: Check = (config) =>
  config.replications.flatMap((r, i) => {
    const sourceRegion = regionOf(config, r.source);
    const path: Path = ["replications", i];
    const statementIssues = sourceRegion
      ? Object.entries(r.destinationPolicies).flatMap(([bucket, policy]) =>
          statementArns(policy.additionalStatements, [
            ...path,
            "destinationPolicies",
            bucket,
            "additionalStatements",
          ]).flatMap(({ path: at, arn }) =>
            partitionIssue(at, arn, partitionOf(sourceRegion), `the source bucket's Region ${sourceRegion}`),
          ),
        )
      : [];
    return [
      ...statementIssues,
      ...(r.source.sseKmsKeyArns ?? []).flatMap((arn, k) => regionalArn([...path, "source", "sseKmsKeyArns", k], arn)),
      ...r.rules.flatMap((rule, j) =>
        regionalArn([...path, "rules", j, "destination", "replicaKms", "keyArn"], rule.destination.replicaKms?.keyArn),
      ),
      ...regionalArn([...path, "monitoring", "snsTopicArn"], r.monitoring?.snsTopicArn),
      ...(r.role.permissionsBoundary && sourceRegion
        ? partitionIssue(
            [...path, "role", "permissionsBoundary"],
            r.role.permissionsBoundary,
            partitionOf(sourceRegion),
            `the source bucket's Region ${sourceRegion}`,
          )
        : []),
    ];
  });

/** A role to assume in an account must be a role of that account, in its partition. */
export const checkRoleAccounts: Check = (config) => [
  ...backendRoleIssues(config),
  ...Object.keys(config.accounts).flatMap((name) => {
    const account = accountNamed(config, name);
    const roleArn = account?.credentials?.roleArn;
    if (!account || !roleArn) return [];
    const path: Path = ["accounts", name, "credentials", "roleArn"];
    const { account: roleAccount } = arnParts(roleArn);
    if (roleAccount !== account.accountId) {
      return [
        issue(
          path,
          `the role is in account ${roleAccount}, not ${account.accountId} (accounts.${name}.accountId): name a role in that account`,
        ),
      ];
    }
    return partitionIssue(path, roleArn, partitionOf(account.region), `the account's Region ${account.region}`);
  }),
];

/** With a bootstrap account, the backend's role to assume is that account's. */
function backendRoleIssues(config: Parameters<Check>[0]): ConfigIssue[] {
  if (config.backend.type !== "s3") return [];
  const roleArn = config.backend.credentials?.roleArn;
  const bootstrap = config.backend.bootstrap;
  const account = bootstrap ? accountNamed(config, bootstrap.account) : undefined;
  if (!roleArn || !bootstrap || !account) return [];
  const { account: roleAccount } = arnParts(roleArn);
  return roleAccount === account.accountId
    ? []
    : [
        issue(
          ["backend", "credentials", "roleArn"],
          `the role is in account ${roleAccount}, not ${account.accountId} (the state bucket's account, ${bootstrap.account}): name a role in that account`,
        ),
      ];
}
