/**
 * Least privilege the other way: requests S3 never needs for the configured rules, which each
 * document must refuse on its own. For every enabled rule:
 *   - s3:ReplicateDelete where no rule replicates delete markers;
 *   - writes (and KMS use) at a key outside every rule's prefix, and reads outside them;
 *   - writes (and KMS use) under another source's prefix, or another account's part of the key
 *     layout (a member of an organization-wide archive);
 *   - writes into a bucket of the same name owned by another account (s3:ResourceAccount);
 *   - KMS use of another key of the replica key's account, where the role names that key by alias.
 * Each is evaluated against the role's policies alone and, where the destination's policy is
 * meant to refuse it too, against the bucket or key policy alone.
 */
import { type CheckResult, fail, HELP, pass } from "../check-result";
import {
  type Destination,
  destinationOf,
  keyDestination,
  type RoleRequests,
  replicaKeyOf,
  roleRequests,
} from "./request-context";
import { sampleKey } from "./sample-key";
import { simulate } from "./simulator";
import type { OutputFacts, RuleFacts, StackFacts } from "./stack-facts";
import {
  CONTEXT,
  ENCRYPTS,
  READS_OBJECT_VERSION,
  REPLICATES_DELETE_MARKERS,
  requestsOf,
  WRITES_REPLICA,
} from "./what-s3-sends";

/** A request that must be denied, the documents that must each deny it alone, and why. */
interface MustDeny {
  readonly action: string;
  readonly to: Destination;
  readonly by: ReadonlyArray<"role" | "resource">;
  readonly why: string;
  /** Requests with the same key prove the same thing: only the first is evaluated. */
  readonly same?: string;
}

const ALLOW_EVERYTHING = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** Keys tried, in order, for "outside every prefix": the first no prefix covers is used. */
const OUTSIDE_PREFIXES = ["preflight-outside/", "~preflight-outside/", "!preflight-outside/"];

/** An account id that is none of `accounts`: where a bucket name re-registered elsewhere would live. */
function otherAccount(...accounts: string[]): string {
  return ["000000000000", "999999999999"].find((a) => !accounts.includes(a)) as string;
}

function covered(key: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => key.startsWith(p));
}

/** Every rule of every replication (enabled or paused) that writes into `bucket`, with its stack and source. */
function rulesInto(output: OutputFacts, bucket: string): Array<{ stack: string; source: string; rule: RuleFacts }> {
  return output.stacks.flatMap((f) =>
    (f.replication?.rules ?? [])
      .filter((r) => r.destinationBucket === bucket)
      .map((rule) => ({ stack: f.stack.name, source: f.replication?.sourceBucket ?? "", rule })),
  );
}

/**
 * Whether the bucket's policy grants an organization (aws:PrincipalOrgID): its grant is shared by
 * every member, so delete markers one listed source replicates are granted to all of them.
 */
function grantsOrganization(requests: RoleRequests, bucket: string): boolean {
  const policy = requests.bucketPolicy(bucket);
  return JSON.stringify(policy ?? {}).includes(CONTEXT.principalOrgId);
}

/** What the checks of one rule share: where it writes, its key, and the prefixes around it. */
interface RuleScope {
  readonly requests: RoleRequests;
  readonly rule: RuleFacts;
  /** This stack's rules into the rule's destination bucket, enabled or paused (their grants stand). */
  readonly ownInto: readonly RuleFacts[];
  readonly prefixesInto: readonly string[];
  /** A write into the destination at `key`. */
  readonly at: (key: string) => Destination;
  /** A KMS use of the replica key for the destination object at `key`, with who must refuse it. */
  readonly keyAt: (key: string, why: string) => MustDeny[];
}

function scopeOf(requests: RoleRequests, rule: RuleFacts): RuleScope {
  const { replication, output, s3 } = requests;
  const ownInto = replication.rules.filter((r) => r.destinationBucket === rule.destinationBucket);
  const replicaKey = rule.sseKms ? replicaKeyOf(rule, output) : undefined;
  // A key several sources share allows their prefixes together: S3 calls KMS only after it has
  // authorized the write, so the bucket policy is what keeps one source out of another's prefix.
  const keyPrefixes = output.stacks.flatMap((f) =>
    (f.replication?.rules ?? []).filter((r) => r.sseKms && replicaKeyOf(r, output) === replicaKey).map((r) => r.prefix),
  );
  return {
    requests,
    rule,
    ownInto,
    prefixesInto: ownInto.map((r) => r.prefix),
    at: (key) => destinationOf(requests, "destinationObject", rule, key),
    keyAt: (key, why) =>
      replicaKey
        ? [
            {
              action: ENCRYPTS.action,
              to: keyDestination(
                requests,
                replicaKey,
                `${s3}${rule.destinationBucket}/${key}`,
                replicaKey.split(":")[3],
              ),
              by: covered(key, keyPrefixes) ? ["role"] : ["role", "resource"],
              why,
            },
          ]
        : [],
  };
}

/** S3 sends s3:ReplicateDelete only for a rule that replicates delete markers. */
function deleteMarkers({ requests, rule, ownInto, at }: RuleScope): MustDeny[] {
  const markers = ownInto.filter((r) => r.deleteMarkerReplication).map((r) => r.prefix);
  if (rule.deleteMarkerReplication || covered(sampleKey(rule), markers)) return [];
  const shared = grantsOrganization(requests, rule.destinationBucket);
  const anyMarkers = rulesInto(requests.output, rule.destinationBucket).some(
    ({ rule: r }) => r.deleteMarkerReplication,
  );
  return [
    {
      action: REPLICATES_DELETE_MARKERS.action,
      to: at(sampleKey(rule)),
      by: shared && anyMarkers ? ["role"] : ["role", "resource"],
      why: "no rule replicates delete markers here",
    },
  ];
}

/** A key outside every prefix, in the destination and in the source (a rule without a prefix covers the bucket). */
function outsidePrefixes({ requests, rule, prefixesInto, at, keyAt }: RuleScope): MustDeny[] {
  const why = "outside every rule's prefix";
  const found: MustDeny[] = [];
  const outside = prefixesInto.every(Boolean) && OUTSIDE_PREFIXES.find((p) => !covered(p, prefixesInto));
  if (outside) {
    const key = `${outside}preflight-sample.txt`;
    found.push({ action: WRITES_REPLICA.action, to: at(key), by: ["role", "resource"], why }, ...keyAt(key, why));
  }
  const sourcePrefixes = requests.replication.rules.map((r) => r.prefix);
  const outsideSource = sourcePrefixes.every(Boolean) && OUTSIDE_PREFIXES.find((p) => !covered(p, sourcePrefixes));
  if (outsideSource) {
    const to = destinationOf(requests, "sourceObject", rule, `${outsideSource}preflight-sample.txt`);
    found.push({ action: READS_OBJECT_VERSION.action, to, by: ["role"], why });
  }
  return found;
}

/** Another source's prefix in the same bucket, or another account's part of the key layout. */
function otherPrefixes({ requests, rule, prefixesInto, at, keyAt }: RuleScope): MustDeny[] {
  const others = new Map<string, string>();
  for (const other of rulesInto(requests.output, rule.destinationBucket)) {
    const key = sampleKey(other.rule);
    if (other.source !== requests.replication.sourceBucket && other.rule.prefix && !covered(key, prefixesInto)) {
      const where = other.stack === requests.facts.stack.name ? `${other.stack}, ${other.source}` : other.stack;
      others.set(key, `another source's prefix (${where})`);
    }
  }
  const { sourceAccount } = requests;
  if (sampleKey(rule).includes(sourceAccount)) {
    const account = otherAccount(sourceAccount);
    const key = sampleKey(rule).replaceAll(sourceAccount, account);
    if (!covered(key, prefixesInto) && !others.has(key)) others.set(key, `account ${account}'s prefix`);
  }
  return [...others].flatMap(([key, why]): MustDeny[] => [
    { action: WRITES_REPLICA.action, to: at(key), by: ["role", "resource"], why },
    ...keyAt(key, why),
  ]);
}

/** The same bucket name, owned by another account (s3:ResourceAccount). */
function otherOwner({ requests, rule, at }: RuleScope): MustDeny[] {
  const stranger = otherAccount(rule.destinationAccount, requests.sourceAccount);
  return requestsOf(rule)
    .filter((r) => r.on === "destinationObject")
    .map((request) => {
      const to = at(sampleKey(rule));
      return {
        action: request.action,
        to: { ...to, account: stranger, context: { ...to.context, [CONTEXT.resourceAccount]: stranger } },
        by: ["role"],
        why: `a bucket of that name owned by account ${stranger} (s3:ResourceAccount)`,
        same: JSON.stringify([request.action, rule.destinationBucket, stranger]),
      };
    });
}

/** Another key of the replica key's account, where the role policy names the key by its alias. */
function otherKey({ requests, rule }: RuleScope): MustDeny[] {
  const { output, s3 } = requests;
  const replicaKey = rule.sseKms ? replicaKeyOf(rule, output) : undefined;
  if (!replicaKey || !output.aliases.some((a) => a.arn === rule.replicaKeyArn)) return [];
  const object = `${s3}${rule.destinationBucket}/${sampleKey(rule)}`;
  const to = keyDestination(
    requests,
    `${replicaKey.split("/")[0]}/preflight-other-key`,
    object,
    replicaKey.split(":")[3],
  );
  return [
    { action: ENCRYPTS.action, to, by: ["role"], why: "another key of the account, without the replica key's alias" },
  ];
}

function mustDeny(requests: RoleRequests, rule: RuleFacts): MustDeny[] {
  const scope = scopeOf(requests, rule);
  return [deleteMarkers, outsidePrefixes, otherPrefixes, otherOwner, otherKey].flatMap((check) => check(scope));
}

/**
 * The decision of one document alone. Across accounts both the role's policies and the resource's
 * policy must allow, so the other one is made to allow everything; within one account either one
 * suffices, so the other one is left out.
 */
async function decidedBy(requests: RoleRequests, deny: MustDeny, document: "role" | "resource") {
  const request = requests.asRole(deny.action, deny.to);
  const crossAccount = deny.to.account !== requests.sourceAccount;
  const allowRole = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: requests.role.arn }, Action: "*", Resource: "*" }],
  };
  return simulate(
    document === "role"
      ? { ...request, resourcePolicy: crossAccount ? allowRole : undefined }
      : { ...request, identityPolicies: crossAccount ? [ALLOW_EVERYTHING] : [] },
  );
}

function documentName(deny: MustDeny, document: "role" | "resource"): string {
  if (document === "role") return "role policy";
  return deny.to.resource.startsWith("arn:") && deny.to.resource.split(":")[2] === "kms"
    ? "key policy"
    : "bucket policy";
}

/** Every request of one stack's enabled rules that its documents must deny, evaluated. */
export async function deniedRequests(facts: StackFacts, output: OutputFacts): Promise<CheckResult[]> {
  const requests = roleRequests(facts, output);
  if (!requests) return [];
  const results: CheckResult[] = [];
  const seen = new Set<string>();
  for (const rule of requests.replication.rules.filter((r) => r.enabled)) {
    for (const deny of mustDeny(requests, rule)) {
      const id = deny.same ?? JSON.stringify([deny.action, deny.to.resource, deny.to.account, deny.to.context]);
      if (seen.has(id)) continue;
      seen.add(id);
      const allowedBy: string[] = [];
      for (const document of deny.by) {
        if ((await decidedBy(requests, deny, document)).decision === "Allowed")
          allowedBy.push(documentName(deny, document));
      }
      const base = {
        stack: facts.stack.name,
        rule: rule.id,
        check: `deny ${deny.action}`,
        principal: requests.role.arn,
        resource: deny.to.resource,
      };
      results.push(
        allowedBy.length === 0
          ? pass({
              ...base,
              detail: `${deny.why}: denied by the ${deny.by.map((d) => documentName(deny, d)).join(" and the ")}`,
            })
          : fail({
              ...base,
              detail: `${deny.why}, yet the ${allowedBy.join(" and the ")} allows it`,
              help: HELP.grantTooWide,
            }),
      );
    }
  }
  return results;
}
