/**
 * How a request the replication role makes looks to IAM, read from the synthesized JSON: the
 * role's identity policies, the resource policy of what it names (bucket policy, key policy), and
 * the context keys AWS supplies (what-s3-sends.ts). Shared by the requests that must be allowed
 * (replication-requests.ts) and those that must be denied (denied-requests.ts).
 */
import { objectAt, valueAt } from "../json";
import { sampleKey } from "./sample-key";
import type { SimulatedRequest } from "./simulator";
import { accountOf, type OutputFacts, type RoleFacts, type RuleFacts, type StackFacts } from "./stack-facts";
import { statementsOf, stringsAt } from "./terraform-json";
import { type BucketTarget, CONTEXT, DECRYPTS_SOURCE, s3Endpoint } from "./what-s3-sends";

/** Where a request goes: the ARN it names, the account that owns it, its resource policy and context. */
export interface Destination {
  readonly resource: string;
  readonly account: string;
  readonly resourcePolicy?: unknown;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** What the evaluation assumed, for the result's detail. */
  readonly note?: string;
}

export interface RoleRequests {
  readonly facts: StackFacts;
  readonly output: OutputFacts;
  readonly role: RoleFacts;
  readonly replication: NonNullable<StackFacts["replication"]>;
  readonly sourceAccount: string;
  readonly sourceRegion: string;
  /** `arn:<partition>:s3:::`. */
  readonly s3: string;
  /** A request by the role, with the principal's context keys. */
  readonly asRole: (action: string, to: Destination) => SimulatedRequest;
  /** The bucket policy the output writes for `bucket`. */
  readonly bucketPolicy: (bucket: string) => unknown;
  /** The keys the role may decrypt with through S3 in the source Region, read from its policies. */
  readonly sourceKeys: () => string[];
}

/** The organization ids the output's bucket and key policies grant through aws:PrincipalOrgID. */
export function organizationIds(output: OutputFacts): string[] {
  const policies = [...output.bucketPolicies.map((p) => p.policy), ...output.keys.map((k) => k.policy)];
  const ids = policies.flatMap((policy) =>
    statementsOf(policy).flatMap((s) => stringsAt(s, "Condition", "StringEquals", CONTEXT.principalOrgId)),
  );
  return [...new Set(ids)];
}

/**
 * What AWS puts in the request context about the role: aws:PrincipalArn is the role's ARN (not the
 * session's) and aws:PrincipalAccount its account. Organization membership cannot be read from the
 * JSON: where a policy grants an organization, the source account is assumed to be a member, and
 * the result says so.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
function principalKeys(
  role: RoleFacts,
  account: string,
  output: OutputFacts,
): { context: Record<string, string>; note?: string } {
  const context: Record<string, string> = { [CONTEXT.principalArn]: role.arn, [CONTEXT.principalAccount]: account };
  const [organization, ...others] = organizationIds(output);
  if (!organization) return { context };
  if (others.length > 0) {
    return {
      context,
      note: `policies grant several organizations (${[organization, ...others].join(", ")}): membership not assumed`,
    };
  }
  return {
    context: { ...context, [CONTEXT.principalOrgId]: organization },
    note: `assumes account ${account} is a member of organization ${organization}`,
  };
}

export function roleRequests(facts: StackFacts, output: OutputFacts): RoleRequests | undefined {
  const { replication, role } = facts;
  if (!replication || !role) return undefined;
  const sourceAccount = accountOf(facts.providers, replication.provider) ?? "unknown";
  const sourceRegion = facts.providers.get(replication.provider)?.region ?? "unknown";
  const identityPolicies = role.inlinePolicies.map((p) => p.policy);
  const principal = principalKeys(role, sourceAccount, output);
  return {
    facts,
    output,
    role,
    replication,
    sourceAccount,
    sourceRegion,
    s3: `arn:${role.arn.split(":")[1]}:s3:::`,
    asRole: (action, to) => ({
      principal: role.arn,
      action,
      resource: to.resource,
      resourceAccount: to.account,
      identityPolicies,
      resourcePolicy: to.resourcePolicy,
      context: { ...principal.context, ...to.context },
    }),
    bucketPolicy: (bucket) => output.bucketPolicies.find((p) => p.bucket === bucket)?.policy,
    sourceKeys: () => {
      const keys = role.inlinePolicies.flatMap((p) =>
        statementsOf(p.policy).flatMap((s) =>
          s.Effect === "Allow" &&
          stringsAt(s, "Action").includes(DECRYPTS_SOURCE.action) &&
          stringsAt(s, "Condition", "StringEquals", CONTEXT.viaService).includes(s3Endpoint(sourceRegion))
            ? stringsAt(s, "Resource")
            : [],
        ),
      );
      return [...new Set(keys)];
    },
  };
}

/** A note on what the organization grant assumes, for requests into a destination. */
export function principalNote(requests: RoleRequests): string | undefined {
  return principalKeys(requests.role, requests.sourceAccount, requests.output).note;
}

/**
 * Where a request on `target` goes for `rule`, at object `key` (the rule's sample key unless
 * given): the bucket or object ARN, its owner, its bucket policy and the context S3 supplies.
 */
export function destinationOf(
  requests: RoleRequests,
  target: BucketTarget,
  rule: RuleFacts,
  key: string = sampleKey(rule),
): Destination {
  const { s3, replication, sourceAccount } = requests;
  const source = replication.sourceBucket;
  switch (target) {
    case "sourceBucket":
      return {
        resource: `${s3}${source}`,
        account: sourceAccount,
        resourcePolicy: requests.bucketPolicy(source),
        context: {},
      };
    case "sourceObject":
      return {
        resource: `${s3}${source}/${key}`,
        account: sourceAccount,
        resourcePolicy: requests.bucketPolicy(source),
        context: {},
      };
    case "destinationObject":
      return {
        resource: `${s3}${rule.destinationBucket}/${key}`,
        account: rule.destinationAccount,
        resourcePolicy: requests.bucketPolicy(rule.destinationBucket),
        context: { [CONTEXT.resourceAccount]: rule.destinationAccount },
        note: principalNote(requests),
      };
  }
}

const KEY_STATEMENTS = "replica_key_policy_statements";
/** The outputs that hold owed key policy statements: a source's, or a shared destination's (`shared_` in a stack of several). */
const STATEMENTS_OUTPUT = /^(shared_)?replica_key_policy_statements(_.+)?$/;

/**
 * The key policy a KMS request is evaluated against: the key's own when the output creates it;
 * otherwise AWS's default key policy (the key's account administers it through IAM) plus, for a
 * replica key, the statement a stack outputs for its owner to add. Said in the result's note.
 */
export function keyPolicyFor(keyArn: string, requests: RoleRequests): { policy: unknown; note?: string } {
  const { facts, output } = requests;
  const declared = output.keys.find((k) => k.arn === keyArn);
  if (declared) return { policy: declared.policy };
  const [, partition, , , account] = keyArn.split(":");
  const statements: unknown[] = [
    {
      Sid: "EnableIamPolicies",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  // The statement is output by the stack that names the key: the source's, or its shared destination's.
  const owed =
    valueAt(facts.output(KEY_STATEMENTS), keyArn) ??
    output.roots
      .flatMap((r) =>
        Object.entries(objectAt(r.stack.json, "output") ?? {}).filter(([name]) => STATEMENTS_OUTPUT.test(name)),
      )
      .map(([, o]) => valueAt(o, "value", keyArn))
      .find(Boolean);
  // JSON.parse reads a value that is not text as its text, as String does.
  if (owed) statements.push(JSON.parse(String(owed)));
  return {
    policy: { Version: "2012-10-17", Statement: statements },
    note: owed
      ? "key not in the JSON: assumes its default key policy plus the statement in output replica_key_policy_statements"
      : "key not in the JSON: assumes its default key policy",
  };
}

/** The key a rule's replicas are encrypted with: a shared destination's key is named by its alias ARN. */
export function replicaKeyOf(rule: RuleFacts, output: OutputFacts): string | undefined {
  return output.aliases.find((a) => a.arn === rule.replicaKeyArn)?.keyArn ?? rule.replicaKeyArn;
}

/** The alias names of a key the output creates (kms:ResourceAliases): none for a key it does not. */
export function aliasNamesOf(keyArn: string, output: OutputFacts): string[] {
  return output.aliases.filter((a) => a.keyArn === keyArn).map((a) => a.arn.split(":").slice(5).join(":"));
}

/**
 * A KMS request through S3 on `keyArn` for the object `objectArn`: the key's Region's S3 endpoint
 * (kms:ViaService), the object as the encryption context, the key's aliases.
 */
export function keyDestination(requests: RoleRequests, keyArn: string, objectArn: string, region: string): Destination {
  const keyPolicy = keyPolicyFor(keyArn, requests);
  const aliases = aliasNamesOf(keyArn, requests.output);
  return {
    resource: keyArn,
    account: keyArn.split(":")[4] ?? requests.sourceAccount,
    resourcePolicy: keyPolicy.policy,
    context: {
      [CONTEXT.viaService]: s3Endpoint(region),
      [CONTEXT.encryptionContext]: objectArn,
      ...(aliases.length > 0 ? { [CONTEXT.resourceAliases]: aliases } : {}),
    },
    note: keyPolicy.note,
  };
}
