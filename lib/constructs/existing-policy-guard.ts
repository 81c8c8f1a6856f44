import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { type IResolvable, TerraformElement, Token } from "cdktf";
import type { Construct } from "constructs";
import type { BucketLocation } from "../config/model";

/** The check's address: `check.existing_bucket_policy_<policy address>`. */
export function guardCheckName(policyAddress: string): string {
  return `existing_bucket_policy_${policyAddress}`;
}

/** Its scoped data source's address: `data.aws_s3_bucket_policy.existing_<policy address>`. */
export function guardDataName(policyAddress: string): string {
  return `existing_${policyAddress}`;
}

/**
 * A Terraform expression, as a cdktf token: the stack escapes every literal string for
 * Terraform's template syntax (stacks/literal-stack.ts) and leaves tokens alone.
 */
function expression(hcl: string): string {
  const resolvable: IResolvable = { creationStack: [], resolve: () => `\${${hcl}}`, toString: () => `\${${hcl}}` };
  return Token.asString(resolvable);
}

/**
 * The live statements no statement of the stack's policy accounts for: neither equal to one, nor
 * sharing its (non-empty) Sid. Matching by Sid keeps the check silent when S3 stores a statement
 * of ours in another spelling (an account id as a root ARN, say); an out-of-band edit of such a
 * statement shows anyway, as Terraform's update of the policy.
 */
function foreignStatements(dataAddress: string, policyAddress: string): string {
  const live = `flatten([jsondecode(${dataAddress}.policy).Statement])`;
  const ours = `flatten([jsondecode(${policyAddress}.policy).Statement])`;
  const sameSid = 'try(s.Sid != null && s.Sid != "" && s.Sid == o.Sid, false)';
  return `[for s in ${live} : s if !anytrue([for o in ${ours} : o == s || ${sameSid}])]`;
}

class CheckBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly block: Readonly<Record<string, unknown>>,
  ) {
    super(scope, id);
    this.overrideLogicalId(id);
  }

  override toTerraform(): Record<string, unknown> {
    return { check: { [this.friendlyUniqueId]: this.block } };
  }
}

/**
 * A guard inside the synthesized Terraform, so that every way of planning it (`cdktf diff`,
 * `cdktf deploy`, plain `terraform plan` on the JSON, not only `npm run plan`) warns before the
 * apply replaces statements an existing bucket's policy has and the stack does not write:
 * a `check` block reads the live policy with a scoped `aws_s3_bucket_policy` data source and
 * asserts that each live statement is one of the stack's. Terraform reports a failed assertion,
 * and an error of the scoped data source, as a warning and goes on
 * (https://developer.hashicorp.com/terraform/language/block/check).
 *
 * - A bucket without a policy makes the data source fail ("reading S3 Bucket (<bucket>) Policy:
 *   couldn't find resource"); the assertion is then not evaluated, so the warning names the
 *   missing policy and never a statement to be removed.
 * - A bucket the stack creates has nothing to take over: no guard.
 * - Terraform plans a check's data source to be read again during the apply, so with a guard every
 *   plan lists that read and `terraform plan -detailed-exitcode` exits 2 even when nothing changes
 *   (hashicorp/terraform#35226); the JSON plan marks it `read_because_check_nested`.
 * - The read needs s3:GetBucketPolicy on the bucket, which the refresh of the policy resource
 *   needs anyway (lib/operator-policy/terraform-permissions.ts).
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/s3_bucket_policy
 */
export function guardExistingPolicy(
  scope: Construct,
  bucket: Pick<BucketLocation, "bucket" | "create">,
  policy: S3BucketPolicy,
): S3BucketPolicy {
  if (bucket.create) return policy;
  const name = policy.friendlyUniqueId;
  const dataName = guardDataName(name);
  const foreign = foreignStatements(`data.aws_s3_bucket_policy.${dataName}`, `aws_s3_bucket_policy.${name}`);
  const labels = `join(", ", [for s in ${foreign} : try(s.Sid != null && s.Sid != "" ? "Sid \${s.Sid}" : "a statement without Sid", "a statement without Sid")])`;
  new CheckBlock(scope, guardCheckName(name), {
    data: {
      aws_s3_bucket_policy: {
        [dataName]: { provider: `aws.${policy.provider?.alias}`, bucket: bucket.bucket },
      },
    },
    assert: [
      {
        condition: expression(`length(${foreign}) == 0`),
        error_message: `The bucket policy of ${bucket.bucket} has statements this stack does not write (${expression(labels)}): the apply replaces the whole policy and removes them. To keep them, add them to the config (npm run adopt copies them into additionalStatements); to remove them on purpose, set replaceExistingStatements.`,
      },
    ],
  });
  return policy;
}
