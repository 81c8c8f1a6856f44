import type { Rule } from "../config/model";
import { OWNER_OVERRIDE_ACTION, REPLICATE_ACTIONS, REPLICATE_DELETE_ACTION } from "../perms";

/** Why a destination-object statement exists; each purpose is its own statement, so a plan shows which one a rule needs. */
export type GrantPurpose = "replicate" | "deleteMarkers" | "ownerOverride";

/** The actions of each purpose. */
export const GRANT_ACTIONS: Readonly<Record<GrantPurpose, readonly string[]>> = {
  replicate: REPLICATE_ACTIONS,
  deleteMarkers: [REPLICATE_DELETE_ACTION],
  ownerOverride: [OWNER_OVERRIDE_ACTION],
};

/** The purposes in the order their statements are written. */
export const GRANT_PURPOSES: readonly GrantPurpose[] = ["replicate", "deleteMarkers", "ownerOverride"];

export interface ObjectGrant {
  readonly purpose: GrantPurpose;
  readonly actions: readonly string[];
  /** Key prefixes ("" is every object). Replicas keep the source object's key, so the rules' prefixes hold. */
  readonly prefixes: readonly string[];
}

/**
 * The shortest set of prefixes covering the rules' filters: [""] (every object) when a rule has
 * no prefix, which includes a rule filtered by tags alone (tags are not part of the key).
 */
export function coveringPrefixes(rules: readonly Pick<Rule, "filter">[]): string[] {
  const prefixes = rules.map((rule) => rule.filter.prefix);
  if (prefixes.some((prefix) => !prefix)) return [""];
  const sorted = [...new Set(prefixes as string[])].sort();
  return sorted.filter((prefix) => !sorted.some((other) => other !== prefix && prefix.startsWith(other)));
}

/**
 * What rules into one destination need on its objects: replicas and their tags under every
 * rule's prefix; s3:ReplicateDelete only under the prefixes of rules that replicate delete
 * markers; owner override only under the prefixes of rules that change the replica's owner.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
 */
export function objectGrants(
  rules: readonly Pick<Rule, "filter" | "deleteMarkerReplication" | "ownerOverride">[],
): ObjectGrant[] {
  const rulesFor: Record<GrantPurpose, typeof rules> = {
    replicate: rules,
    deleteMarkers: rules.filter((rule) => rule.deleteMarkerReplication),
    ownerOverride: rules.filter((rule) => rule.ownerOverride),
  };
  return GRANT_PURPOSES.filter((purpose) => rulesFor[purpose].length > 0).map((purpose) => ({
    purpose,
    actions: GRANT_ACTIONS[purpose],
    prefixes: coveringPrefixes(rulesFor[purpose]),
  }));
}

/** The order actions are written in a statement (the order of AWS's replication pages). */
const ACTION_ORDER = [REPLICATE_ACTIONS[0], REPLICATE_DELETE_ACTION, REPLICATE_ACTIONS[1], OWNER_OVERRIDE_ACTION];

/** One statement's worth of grants: the purposes it serves, their actions, and the resources they share. */
export interface GrantGroup {
  /** The first purpose names the statement. */
  readonly purposes: readonly GrantPurpose[];
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/**
 * Purposes that need the same resources share one statement, so that a rule's delete markers
 * and owner override do not repeat its prefixes (IAM and S3 limit a policy's size); purposes on
 * other prefixes get statements of their own.
 */
export function groupByResources(resources: ReadonlyArray<[GrantPurpose, readonly string[]]>): GrantGroup[] {
  const groups: Array<{ purposes: GrantPurpose[]; resources: readonly string[] }> = [];
  for (const [purpose, list] of resources) {
    if (list.length === 0) continue;
    const same = groups.find((g) => JSON.stringify(g.resources) === JSON.stringify(list));
    if (same) same.purposes.push(purpose);
    else groups.push({ purposes: [purpose], resources: list });
  }
  return groups.map((g) => ({
    purposes: g.purposes,
    actions: inActionOrder(g.purposes.flatMap((p) => GRANT_ACTIONS[p])),
    resources: g.resources,
  }));
}

/** Actions in the order a statement writes them. */
export function inActionOrder(actions: readonly string[]): string[] {
  return [...actions].sort((a, b) => ACTION_ORDER.indexOf(a) - ACTION_ORDER.indexOf(b));
}
