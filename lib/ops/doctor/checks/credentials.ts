import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import type { BucketLocation } from "../../../config/model";
import { checkEach, clientsOf, type DoctorContext } from "../doctor-context";

/** The credentials of each account belong to that account (STS GetCallerIdentity). */
export function checkCredentials(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const byAccount = new Map<string, BucketLocation>();
  for (const bucket of [replication.source, ...replication.destinations]) {
    if (!byAccount.has(bucket.account.accountId)) byAccount.set(bucket.account.accountId, bucket);
  }
  return checkEach(
    [...byAccount.values()],
    ({ account }) => ({
      stack: replication.stackName,
      check: "credentials",
      resource: `account ${account.name} (${account.accountId})`,
      help: HELP.unpinned,
    }),
    async (bucket, base) => {
      const { account } = bucket;
      const identity = await clientsOf(ctx, bucket).sts.send(new GetCallerIdentityCommand({}));
      return identity.Account === account.accountId
        ? pass({ ...base, help: undefined, principal: identity.Arn })
        : fail({
            ...base,
            principal: identity.Arn,
            detail: `the credentials belong to ${identity.Account}, not ${account.accountId}: fix the profile or role for "${account.name}"`,
          });
    },
  );
}
