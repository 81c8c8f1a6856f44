/**
 * What one stack's plan does, read from `terraform show -json` (Terraform's JSON plan format:
 * format_version, resource_changes[].change): every resource added, changed, replaced and
 * destroyed; for each, every attribute it sets or changes, before and after; the replication
 * configuration rule by rule, keyed by rule id; every policy that changes as a diff of the
 * documents; and warnings for the changes that hurt data, stop replication or send it elsewhere.
 * Rendering is summary-markdown.ts's.
 */
import { type JsonObject, objectsAt, valueAt } from "../json";
import { type AttributeChange, attributeChanges } from "./attribute-changes";
import { policyDiff } from "./policy-diff";
import {
  type CanonicalRule,
  type FieldChange,
  type RuleChange,
  ruleChanges,
  rulesFromPlan,
  UNKNOWN,
} from "./replication-rules";

/** "forget": a `removed` block with destroy = false; Terraform stops managing it, AWS keeps it. */
export type PlanAction = "create" | "update" | "replace" | "delete" | "forget";

export const REPLICATION_TYPE = "aws_s3_bucket_replication_configuration";

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
  readonly attributes: readonly AttributeChange[];
  /** Replication configurations: what happens to each rule. */
  readonly rules: readonly RuleChange[];
}

export interface PolicyChange {
  readonly address: string;
  readonly type: string;
  readonly attribute: string;
  /** The documents, parsed (text when not JSON, UNKNOWN when known only after apply). */
  readonly before: unknown;
  readonly after: unknown;
  readonly diff: string;
}

export type Warning =
  | { readonly kind: "destroy" | "replace"; readonly address: string; readonly danger: string }
  | {
      readonly kind: "destination";
      readonly address: string;
      readonly id: string;
      /** The destination bucket and account, before and after, where they differ. */
      readonly fields: readonly FieldChange[];
    };

export interface PlanSummary {
  readonly stack: string;
  readonly changes: readonly ResourceChange[];
  readonly policyChanges: readonly PolicyChange[];
  readonly warnings: readonly Warning[];
  readonly counts: Readonly<Record<PlanAction, number>>;
}

/** What the bucket has today where the plan cannot say it (a configuration the stack does not manage yet). */
export interface LiveState {
  /**
   * Each source bucket's live replication rules, by bucket: where the plan creates a bucket's
   * replication configuration, they are what it replaces.
   */
  readonly replicationRules?: Readonly<Record<string, readonly CanonicalRule[]>>;
}

/** Attributes holding IAM policy JSON text. */
const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

/** What destroying or replacing a resource of these types does to data or to replication. */
const DANGER: Record<string, string> = {
  aws_s3_bucket_versioning:
    "versioning on the bucket is suspended (it can never go back to unversioned); replication stops",
  aws_s3_bucket_policy:
    "the bucket's whole policy is removed (on replace: for a moment); replication into it is denied meanwhile",
  aws_s3_bucket: "the bucket is deleted",
  aws_kms_key: "the key is scheduled for deletion: every replica it encrypted becomes unreadable",
  [REPLICATION_TYPE]: "replication of new objects stops",
  aws_iam_role: "the role is recreated: policies naming it must be written again",
};

/** A change's action, from its `actions` list as the plan has it (anything else in the list is no action). */
export function actionOf(actions: readonly unknown[]): PlanAction | undefined {
  const key = actions.join(",");
  if (key === "create") return "create";
  if (key === "update") return "update";
  if (key === "delete") return "delete";
  if (key === "forget") return "forget";
  if (key === "delete,create" || key === "create,delete") return "replace";
  return undefined;
}

function parsedPolicy(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function policyChanges(rc: JsonObject): PolicyChange[] {
  return POLICY_ATTRIBUTES.flatMap((attribute) => {
    const before = parsedPolicy(valueAt(rc, "change", "before", attribute));
    const after =
      valueAt(rc, "change", "after_unknown", attribute) === true
        ? UNKNOWN
        : parsedPolicy(valueAt(rc, "change", "after", attribute));
    if (JSON.stringify(before) === JSON.stringify(after) || (before === null && after === null)) return [];
    const { address, type } = named(rc);
    return [{ address, type, attribute, before, after, diff: policyDiff(before, after) }];
  });
}

/**
 * The rule changes of a replication configuration. A configuration the stack creates replaces
 * the one the bucket has, if any: `live` stands in for the plan's empty "before".
 */
function replicationRuleChanges(rc: JsonObject, action: PlanAction, live: LiveState): RuleChange[] {
  if (rc.type !== REPLICATION_TYPE || action === "delete" || action === "forget") return [];
  const before =
    action === "create"
      ? (live.replicationRules?.[String(valueAt(rc, "change", "after", "bucket"))] ?? [])
      : rulesFromPlan(valueAt(rc, "change", "before", "rule") ?? []);
  return ruleChanges(
    before,
    rulesFromPlan(valueAt(rc, "change", "after", "rule") ?? [], valueAt(rc, "change", "after_unknown", "rule")),
  );
}

/** A resource change's address and type as text (Terraform always writes both). */
function named(rc: JsonObject): { address: string; type: string } {
  return { address: String(rc.address), type: String(rc.type) };
}

/** The summary of a plan that changes nothing. */
export function unchangedSummary(stack: string): PlanSummary {
  return {
    stack,
    changes: [],
    policyChanges: [],
    warnings: [],
    counts: { create: 0, update: 0, replace: 0, delete: 0, forget: 0 },
  };
}

export function summarizePlan(stack: string, plan: JsonObject, live: LiveState = {}): PlanSummary {
  if (typeof plan.format_version !== "string") {
    throw new Error(`${stack}: not a Terraform JSON plan (no format_version)`);
  }
  const changes: ResourceChange[] = [];
  const policies: PolicyChange[] = [];
  const warnings: Warning[] = [];
  for (const rc of objectsAt(plan, "resource_changes")) {
    const actions = valueAt(rc, "change", "actions") ?? [];
    // A list, as Terraform writes it; anything else is no action, as an empty list is.
    const action = actionOf(Array.isArray(actions) ? actions : []);
    if (!action || rc.mode === "data") continue;
    const { address, type } = named(rc);
    const rules = replicationRuleChanges(rc, action, live);
    changes.push({ address, type, action, attributes: attributeChanges(rc), rules });
    if ((action === "delete" || action === "replace") && DANGER[type]) {
      warnings.push({
        kind: action === "delete" ? "destroy" : "replace",
        address,
        danger: DANGER[type],
      });
    }
    for (const rule of rules.filter((r) => r.destinationMoved)) {
      const fields = rule.fields.filter((f) => f.field === "destinationBucket" || f.field === "destinationAccount");
      warnings.push({ kind: "destination", address, id: rule.id, fields });
    }
    policies.push(...policyChanges(rc));
  }
  const counts = { create: 0, update: 0, replace: 0, delete: 0, forget: 0 };
  for (const c of changes) counts[c.action]++;
  return { stack, changes, policyChanges: policies, warnings, counts };
}
