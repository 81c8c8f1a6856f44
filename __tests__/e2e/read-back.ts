/**
 * After the apply: what landed in each account, read back with that account's own credentials,
 * compared with the reviewed expected files of the config (expected.ts), never with what the
 * project's builders make. Policies compare as IAM reads them (iam-equivalence.ts); everything
 * else field by field.
 *
 * What it covers, per resource the stacks create or set (the attributes in each stack's JSON):
 * - aws_iam_role: name, path, ARN, description, permissions boundary, tags, trust policy;
 *   aws_iam_role_policy: every inline policy by name and document, and no other inline policy;
 * - aws_s3_bucket (created): Region, Object Lock, tags; with aws_s3_bucket_ownership_controls,
 *   aws_s3_bucket_public_access_block and aws_s3_bucket_server_side_encryption_configuration;
 * - aws_s3_bucket_versioning: status; aws_s3_bucket_policy: the document;
 *   aws_s3_bucket_replication_configuration: role and every field of every rule;
 * - aws_kms_key (created): policy, rotation, description, state, tags; aws_kms_alias: name and target;
 * - aws_sns_topic: name (ARN), tags; aws_sns_topic_subscription: protocol and endpoint;
 * - aws_cloudwatch_metric_alarm: every field DescribeAlarms answers (name, description, namespace,
 *   metric, dimensions, statistic, period, evaluation periods, threshold, comparison, missing
 *   data, actions, ...) and tags;
 * - nothing more: a role, key, topic or alarm tagged with one of the config's stacks, an alias, a
 *   bucket policy or replication configuration that no expected file names is reported.
 * Not covered, because AWS does not return it: aws_kms_key.deletion_window_in_days (only visible
 * once a deletion is scheduled); Terraform-only settings (force_destroy, prevent_destroy,
 * depends_on, replace_triggered_by), which the destroy step and proof-rename-role exercise.
 */

import { sortedKeysJson } from "../../lib/canonical-json";
import { jsonDifferences } from "../helpers/json-differences";
import type { ExpectedBucket, ExpectedConfig, ExpectedStack } from "./expected";
import { policyDifferences } from "./iam-equivalence";
import type { AccountState, BucketState, Snapshot } from "./snapshot";

type Json = Record<string, any>;
type Problems = string[];

export const STACK_TAG = "replication-stack";

export function accountState(snapshot: Snapshot, accountId: string): AccountState {
  const state = snapshot.get(accountId);
  if (!state) throw new Error(`no snapshot of account ${accountId}`);
  return state;
}

export function bucketState(snapshot: Snapshot, accountId: string, bucket: string): BucketState | undefined {
  return accountState(snapshot, accountId).buckets.find((b) => b.name === bucket);
}

const PLACEHOLDER = /^<key behind arn:[^:]+:kms:([^:]+):(\d{12}):(alias\/.+)>$/;

/** The ARN of the key an alias points at, as the account shows it. */
export function keyBehindAlias(snapshot: Snapshot, account: string, region: string, alias: string): string | undefined {
  const state = accountState(snapshot, account);
  const target = state.aliases.find((a) => a.name === alias && a.region === region)?.targetKeyId;
  return target ? state.keys.find((k) => k.region === region && k.arn.endsWith(`:key/${target}`))?.arn : undefined;
}

/** An expected document with each created key's placeholder replaced by the key's ARN. */
export function resolved(value: unknown, snapshot: Snapshot): any {
  if (typeof value === "string") {
    const match = PLACEHOLDER.exec(value);
    if (!match) return value;
    const [, region, account, alias] = match;
    return keyBehindAlias(snapshot, account, region, alias) ?? `(no key behind ${alias} in ${account} ${region})`;
  }
  if (Array.isArray(value)) return value.map((v) => resolved(v, snapshot));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, snapshot)]));
  }
  return value;
}

function same(problems: Problems, what: string, live: unknown, expected: unknown): void {
  for (const d of jsonDifferences(expected ?? null, live ?? null, what)) {
    problems.push(`${d.path}: is ${sortedKeysJson(d.right ?? null)}, expected ${sortedKeysJson(d.left ?? null)}`);
  }
}

function samePolicy(problems: Problems, what: string, live: unknown, expected: unknown): void {
  problems.push(...policyDifferences(expected, live).map((p) => `${what}: ${p}`));
}

/**
 * A rule in one spelling: an empty prefix filter is the empty filter (both select every object;
 * the provider writes `filter {}` as `<Filter/>` on create and as an empty `<Prefix>` on update,
 * and plans no change between them), and tags in key order (S3 keeps no order).
 * Deliberately not lib/ops/expected-replication.ts (doctor's expectedRule and normalizeLiveRule):
 * this side of the comparison reads reviewed files, so a mistake in the product's builders or
 * normalizing cannot hide here as well.
 */
function normalizedRule(rule: Json): Json {
  const filter = rule.Filter ?? {};
  if (sortedKeysJson(filter) === sortedKeysJson({ Prefix: "" })) return { ...rule, Filter: {} };
  const tags = filter.And?.Tags;
  if (!Array.isArray(tags)) return { ...rule, Filter: filter };
  const sorted = [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  return { ...rule, Filter: { ...filter, And: { ...filter.And, Tags: sorted } } };
}

function checkReplication(problems: Problems, where: string, live: Json | null, expected: Json): void {
  if (!live) {
    problems.push(`${where}: no replication configuration`);
    return;
  }
  const { Rules: liveRules = [], ...liveRest } = live;
  const { Rules: rules = [], ...rest } = expected;
  same(problems, where, liveRest, rest);
  const ids = (list: Json[]) => list.map((r) => String(r.ID)).sort();
  same(problems, `${where} rule ids`, ids(liveRules), ids(rules));
  for (const rule of rules as Json[]) {
    const found = (liveRules as Json[]).find((r) => r.ID === rule.ID);
    if (found) same(problems, `${where} rule ${rule.ID}`, normalizedRule(found), normalizedRule(rule));
  }
}

function checkBucket(problems: Problems, snapshot: Snapshot, b: ExpectedBucket): void {
  const live = bucketState(snapshot, b.account, b.name);
  if (!live) {
    problems.push(`bucket ${b.name}: not in account ${b.account}`);
    return;
  }
  if (b.versioning) same(problems, `bucket ${b.name} versioning`, live.versioning, b.versioning);
  if (b.policy) samePolicy(problems, `bucket ${b.name} policy`, live.policy, resolved(b.policy, snapshot));
  if (b.replication) {
    checkReplication(problems, `bucket ${b.name} replication`, live.replication, resolved(b.replication, snapshot));
  }
  if (b.created) {
    same(
      problems,
      `created bucket ${b.name}`,
      {
        region: live.region,
        objectLock: live.objectLock,
        ownership: live.ownership,
        publicAccessBlock: live.publicAccessBlock,
        encryption: live.encryption?.map((rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm) ?? null,
        tags: live.tags,
      },
      b.created,
    );
  }
}

function checkStack(problems: Problems, snapshot: Snapshot, stack: ExpectedStack): void {
  for (const role of stack.roles) {
    const live = accountState(snapshot, role.account).roles.find((r) => r.name === role.name);
    if (!live) {
      problems.push(`role ${role.name}: missing in ${role.account}`);
      continue;
    }
    same(
      problems,
      `role ${role.name}`,
      {
        path: live.path,
        arn: live.arn,
        description: live.description ?? null,
        permissionsBoundary: live.permissionsBoundary ?? null,
        tags: live.tags,
      },
      {
        path: role.path,
        arn: role.arn,
        description: role.description,
        permissionsBoundary: role.permissionsBoundary,
        tags: role.tags,
      },
    );
    samePolicy(problems, `role ${role.name} trust policy`, live.trustPolicy, role.trustPolicy);
    const names = Object.keys(role.inlinePolicies);
    const liveNames = Object.keys(live.inlinePolicies);
    const missing = names.filter((n) => !liveNames.includes(n));
    const extra = liveNames.filter((n) => !names.includes(n));
    if (missing.length > 0) problems.push(`role ${role.name}: inline policy ${missing.join(", ")} missing`);
    if (extra.length > 0) problems.push(`role ${role.name}: inline policy ${extra.join(", ")} not expected`);
    for (const [name, document] of Object.entries(role.inlinePolicies)) {
      if (live.inlinePolicies[name]) {
        samePolicy(problems, `role ${role.name} ${name}`, live.inlinePolicies[name], resolved(document, snapshot));
      }
    }
  }
  for (const bucket of stack.buckets) checkBucket(problems, snapshot, bucket);
  for (const key of stack.keys) {
    const arn = keyBehindAlias(snapshot, key.account, key.region, key.alias);
    const live = accountState(snapshot, key.account).keys.find((k) => k.arn === arn);
    if (!live) {
      problems.push(`key behind ${key.alias}: missing in ${key.account} ${key.region}`);
      continue;
    }
    same(
      problems,
      `key behind ${key.alias}`,
      { description: live.description, rotation: live.rotation, state: live.state, tags: live.tags },
      { description: key.description, rotation: key.rotation, state: key.state, tags: key.tags },
    );
    samePolicy(problems, `key behind ${key.alias} policy`, live.policy, resolved(key.policy, snapshot));
  }
  for (const topic of stack.topics) {
    const live = accountState(snapshot, topic.account).topics.find((t) => t.arn === topic.arn);
    if (!live) {
      problems.push(`SNS topic ${topic.arn}: missing`);
      continue;
    }
    const subscriptions = (list: ReadonlyArray<{ protocol: string; endpoint: string }>) =>
      list.map((s) => `${s.protocol}:${s.endpoint}`).sort();
    same(
      problems,
      `SNS topic ${topic.arn}`,
      { region: live.region, tags: live.tags, subscriptions: subscriptions(live.subscriptions) },
      { region: topic.region, tags: topic.tags, subscriptions: subscriptions(topic.subscriptions) },
    );
  }
  for (const { account, ...alarm } of stack.alarms) {
    const live = accountState(snapshot, account).alarms.find((a) => a.name === alarm.name && a.region === alarm.region);
    if (!live) problems.push(`alarm ${alarm.name}: missing in ${account} ${alarm.region}`);
    else same(problems, `alarm ${alarm.name}`, live, alarm);
  }
}

/** What the accounts hold that no expected file names: a builder that adds something shows here. */
function unexpected(problems: Problems, snapshot: Snapshot, expected: ExpectedConfig): void {
  const stacks = [...expected.stacks.values()];
  const ours = (tags: Readonly<Record<string, string>> | null | undefined) =>
    Boolean(tags?.[STACK_TAG] && expected.stacks.has(tags[STACK_TAG]));
  const roles = new Set(stacks.flatMap((s) => s.roles.map((r) => `${r.account}/${r.name}`)));
  const aliases = new Set(stacks.flatMap((s) => s.keys.map((k) => `${k.account}/${k.region}/${k.alias}`)));
  const topics = new Set(stacks.flatMap((s) => s.topics.map((t) => t.arn)));
  const alarms = new Set(stacks.flatMap((s) => s.alarms.map((a) => `${a.account}/${a.region}/${a.name}`)));
  const buckets = stacks.flatMap((s) => s.buckets);
  const named = (account: string, bucket: string, field: "policy" | "replication") =>
    buckets.some((b) => b.account === account && b.name === bucket && b[field]);
  for (const [account, state] of snapshot) {
    for (const role of state.roles) {
      if (ours(role.tags) && !roles.has(`${account}/${role.name}`))
        problems.push(`role ${role.name} in ${account}: not expected`);
    }
    for (const alias of state.aliases) {
      if (!aliases.has(`${account}/${alias.region}/${alias.name}`))
        problems.push(`alias ${alias.name} in ${account} ${alias.region}: not expected`);
    }
    const keysBehindAliases = new Set(
      state.aliases.map((a) => keyBehindAlias(snapshot, account, a.region, a.name)).filter(Boolean),
    );
    for (const key of state.keys) {
      if (ours(key.tags) && !keysBehindAliases.has(key.arn)) problems.push(`key ${key.arn}: not expected`);
    }
    for (const topic of state.topics) {
      if (ours(topic.tags) && !topics.has(topic.arn)) problems.push(`SNS topic ${topic.arn}: not expected`);
    }
    for (const alarm of state.alarms) {
      if (ours(alarm.tags) && !alarms.has(`${account}/${alarm.region}/${alarm.name}`)) {
        problems.push(`alarm ${alarm.name} in ${account}: not expected`);
      }
    }
    for (const bucket of state.buckets) {
      if (bucket.policy && !named(account, bucket.name, "policy"))
        problems.push(`bucket ${bucket.name} policy: not expected`);
      if (bucket.replication && !named(account, bucket.name, "replication")) {
        problems.push(`bucket ${bucket.name} replication configuration: not expected`);
      }
    }
  }
}

/** Every difference between what the accounts hold and the config's expected files. */
export function readBackProblems(expected: ExpectedConfig, snapshot: Snapshot): string[] {
  const problems: Problems = [];
  for (const stack of expected.stacks.values()) checkStack(problems, snapshot, stack);
  unexpected(problems, snapshot, expected);
  return problems;
}
