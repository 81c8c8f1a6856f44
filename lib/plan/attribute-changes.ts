/**
 * Every attribute a planned change sets or changes, before and after, in the words a reviewer
 * reads: from a resource change of `terraform show -json` (`change.before`, `change.after`, with
 * `after_unknown` for values known only after apply and `before_sensitive`/`after_sensitive` for
 * values Terraform hides). Policies are left to the policy diff and replication rules to
 * replication-rules.ts; identifiers Terraform computes (id, arn) are left out.
 * @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 */
import { type JsonObject, objectAt } from "../json";
import { NONE, UNKNOWN } from "./replication-rules";

export interface AttributeChange {
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

export const SENSITIVE = "(sensitive)";

/**
 * Attributes shown elsewhere in the summary, or computed by AWS and of no use to a reviewer.
 * `tags` is in `tags_all`, which adds the provider's default tags: only that is shown.
 */
const SKIPPED = new Set([
  "id",
  "arn",
  "policy",
  "assume_role_policy",
  "rule",
  "token",
  "timeouts",
  "unique_id",
  "tags",
]);

/** Words for the attributes reviewers most need to read, by resource type and attribute path. */
const LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_s3_bucket_versioning: {
    "versioning_configuration.status": "versioning status",
    "versioning_configuration.mfa_delete": "MFA delete",
  },
  aws_kms_key: {
    enable_key_rotation: "key rotation",
    rotation_period_in_days: "rotation period (days)",
    deletion_window_in_days: "deletion window (days)",
    is_enabled: "key enabled",
    key_usage: "key usage",
    customer_master_key_spec: "key spec",
    multi_region: "multi-Region",
    bypass_policy_lockout_safety_check: "bypass the policy lockout safety check",
  },
  aws_cloudwatch_metric_alarm: {
    alarm_name: "alarm name",
    alarm_description: "description",
    metric_name: "metric",
    comparison_operator: "comparison",
    evaluation_periods: "evaluation periods",
    period: "period (s)",
    treat_missing_data: "missing data",
    alarm_actions: "alarm actions",
    ok_actions: "OK actions",
    actions_enabled: "actions enabled",
  },
  aws_s3_bucket_replication_configuration: { role: "replication role" },
};

/** A path into a value: blocks of one are not indexed, longer lists are. */
type Flat = Map<string, unknown>;

function flatten(value: unknown, path: string, into: Flat): Flat {
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === "object")) {
    if (value.length === 1) return flatten(value[0], path, into);
    for (const [i, v] of value.entries()) flatten(v, `${path}[${i}]`, into);
    return into;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) flatten(v, path === "" ? key : `${path}.${key}`, into);
    return into;
  }
  into.set(path, value);
  return into;
}

/** Whether a mask (after_unknown, *_sensitive) marks the value at a flattened path. */
function marked(mask: unknown, path: string): boolean {
  if (mask === true) return true;
  if (mask === null || typeof mask !== "object") return false;
  return flatten(mask, "", new Map()).get(path) === true || wholeMarked(mask, path);
}

/** A mask may mark a whole block or map (`tags_all: true`) rather than its leaves. */
function wholeMarked(mask: unknown, path: string): boolean {
  const flat = flatten(mask, "", new Map());
  return [...flat.entries()].some(([p, v]) => v === true && (path.startsWith(`${p}.`) || path.startsWith(`${p}[`)));
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return NONE;
  if (Array.isArray(value)) return value.length === 0 ? NONE : value.map((v) => String(v)).join(", ");
  return String(value);
}

function label(type: string, path: string): string {
  if (path.startsWith("tags_all.")) return `tag ${path.slice("tags_all.".length)}`;
  return LABELS[type]?.[path] ?? path.replace(/_/g, " ");
}

function skipped(path: string): boolean {
  return SKIPPED.has(path.split(/[.[]/)[0]);
}

/**
 * What one resource change sets (create) or changes (update, replace), attribute by attribute.
 * A destroyed resource has none: the summary's table says it goes.
 */
export function attributeChanges(rc: JsonObject): AttributeChange[] {
  const change: JsonObject = objectAt(rc, "change") ?? {};
  const type = String(rc.type);
  const before = flatten(change.before ?? {}, "", new Map());
  const after = flatten(change.after ?? {}, "", new Map());
  const unknownPaths = [...flatten(change.after_unknown ?? {}, "", new Map()).entries()]
    .filter(([, v]) => v === true)
    .map(([p]) => p);
  const paths = [...new Set([...before.keys(), ...after.keys(), ...unknownPaths])].filter(
    (p) => p !== "" && !skipped(p),
  );
  const creating = change.before === null || change.before === undefined;
  if (change.after === null || change.after === undefined) return [];
  const changes: AttributeChange[] = [];
  for (const path of paths.sort()) {
    const unknown = marked(change.after_unknown, path);
    const now = unknown ? UNKNOWN : marked(change.after_sensitive, path) ? SENSITIVE : shown(after.get(path));
    if (creating) {
      // A computed value learnt only on create is noise (every arn, every id); so is an empty one.
      if (!unknown && now !== NONE) changes.push({ label: label(type, path), before: "", after: now });
      continue;
    }
    const was = marked(change.before_sensitive, path) ? SENSITIVE : shown(before.get(path));
    if (was !== now) changes.push({ label: label(type, path), before: was, after: now });
  }
  return changes;
}
