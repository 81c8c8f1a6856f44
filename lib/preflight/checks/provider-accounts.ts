import { type CheckResult, fail, HELP, pass } from "../../check-result";
import { accountOf, type Located, type OutputFacts, type StackFacts } from "../stack-facts";

/**
 * Each resource sits on a provider of the account that owns it: the role, its policies and the
 * replication configuration on the source account's; a destination bucket policy on the
 * destination account's. A provider in the wrong account would apply it to the wrong account.
 */
export function checkProviderAccounts(facts: StackFacts, output: OutputFacts): CheckResult[] {
  const { replication, role } = facts;
  if (!replication) return [];
  if (!role) {
    const address = replication.address.replace("aws_s3_bucket_replication_configuration.", "aws_iam_role.");
    return [
      fail({
        stack: facts.stack.name,
        check: "replication role",
        resource: replication.address,
        detail: `names ${replication.roleArn}, but the stack has no role ${address} to check it against`,
        help: HELP.roleMismatch,
      }),
    ];
  }
  const sourceAccount = accountOf(facts.providers, replication.provider);
  const expectations: Array<[Located, string | undefined, string]> = facts.roles.flatMap((r) =>
    [r, ...r.inlinePolicies].map((l): [Located, string | undefined, string] => [
      l,
      sourceAccount,
      "the source account",
    ]),
  );
  for (const rule of replication.rules) {
    const policy = output.bucketPolicies.find(
      (p) => p.bucket === rule.destinationBucket && p.stack === facts.stack.name,
    );
    if (policy) expectations.push([policy, rule.destinationAccount, `the destination account of rule ${rule.id}`]);
  }
  const roleAccount = role.arn.split(":")[4];
  return [
    ...expectations.map(([resource, expected, owner]) => {
      const actual = accountOf(facts.providers, resource.provider);
      const base = { stack: facts.stack.name, check: "provider account", resource: resource.address };
      return actual !== undefined && actual === expected
        ? pass({ ...base, detail: `${resource.provider} (${actual})` })
        : fail({
            ...base,
            detail: `on ${resource.provider} (${actual ?? "no pinned account"}), but it belongs to ${owner} (${expected ?? "unknown"})`,
            help: HELP.wrongAccount,
          });
    }),
    replication.roleArn === role.arn && roleAccount === sourceAccount
      ? pass({ stack: facts.stack.name, check: "replication role", resource: replication.address, detail: role.arn })
      : fail({
          stack: facts.stack.name,
          check: "replication role",
          resource: replication.address,
          detail: `names ${replication.roleArn}, but the stack's role is ${role.arn}`,
          help: HELP.roleMismatch,
        }),
  ];
}
