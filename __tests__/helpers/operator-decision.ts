/**
 * Whether an operator policy allows one request, decided by a real IAM policy evaluator
 * (@cloud-copilot/iam-simulate, through lib/preflight/simulator.ts), not by matching strings.
 */
import type { PolicyDocument } from "../../lib/policies/policy-document";
import { simulate } from "../../lib/preflight/simulator";
import type { Json } from "./loose-json";

export interface OperatorRequest {
  readonly accountId: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * A KMS key is governed by its key policy: the keys the stacks create (and the keys this decision
 * is asked about) keep the statement that lets the account's IAM policies decide.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 */
function keyPolicyDelegatingToIam(accountId: string, partition: string): Json {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnableIamPolicies",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

export async function allowedBy(policy: PolicyDocument | undefined, request: OperatorRequest): Promise<boolean> {
  if (!policy) return false;
  const partition = request.resource.startsWith("arn:") ? request.resource.split(":")[1] : "aws";
  const kmsKey = /^arn:[^:]+:kms:[^:]+:\d{12}:key\//.test(request.resource);
  const outcome = await simulate({
    principal: `arn:${partition}:iam::${request.accountId}:role/operator`,
    action: request.action,
    resource: request.resource,
    resourceAccount: request.accountId,
    context: Object.fromEntries(
      Object.entries(request.context ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : [...v]]),
    ),
    identityPolicies: [policy as unknown as Json],
    resourcePolicy: kmsKey ? keyPolicyDelegatingToIam(request.accountId, partition) : undefined,
  });
  if (outcome.decision === "Error") throw new Error(`iam-simulate: ${outcome.message}`);
  return outcome.decision === "Allowed";
}
