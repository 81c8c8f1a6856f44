import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { Account } from "../config/model";

export interface AccountProviderProps {
  /** The provider alias resources name to pick this account. */
  readonly alias: string;
  readonly account: Account;
  readonly region: string;
  /** Default tags for every taggable resource of this provider. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * An AWS provider for one account and Region. `allowed_account_ids` pins the account, so a plan
 * run with the wrong credentials fails before it reads or changes anything.
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs#allowed_account_ids
 */
export function accountProvider(scope: Construct, props: AccountProviderProps): AwsProvider {
  const { credentials } = props.account;
  return new AwsProvider(scope, `aws_${props.alias}`, {
    alias: props.alias,
    region: props.region,
    allowedAccountIds: [props.account.accountId],
    profile: credentials.profile,
    assumeRole: credentials.roleArn
      ? [{ roleArn: credentials.roleArn, sessionName: credentials.sessionName, externalId: credentials.externalId }]
      : undefined,
    defaultTags: [{ tags: { ...props.tags } }],
  });
}
