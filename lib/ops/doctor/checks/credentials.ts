import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import type { Account } from "../../../config/model";
import { attempt, type DoctorContext } from "../doctor-context";

/** The credentials of each account belong to that account (STS GetCallerIdentity). */
export async function checkCredentials(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const accounts = new Map<string, { account: Account; region: string }>();
  for (const bucket of [replication.source, ...replication.destinations]) {
    if (!accounts.has(bucket.account.accountId)) accounts.set(bucket.account.accountId, bucket);
  }
  const results: CheckResult[] = [];
  for (const { account, region } of accounts.values()) {
    const base = {
      stack: replication.stackName,
      check: "credentials",
      resource: `account ${account.name} (${account.accountId})`,
      help: HELP.unpinned,
    };
    results.push(
      ...(await attempt(base, async () => {
        const identity = await ctx.clients(account, region).sts.send(new GetCallerIdentityCommand({}));
        return [
          identity.Account === account.accountId
            ? pass({ ...base, help: undefined, principal: identity.Arn })
            : fail({
                ...base,
                principal: identity.Arn,
                detail: `the credentials belong to ${identity.Account}, not ${account.accountId}: fix the profile or role for "${account.name}"`,
              }),
        ];
      })),
    );
  }
  return results;
}
