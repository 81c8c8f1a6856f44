/**
 * The reference (reference.ts) against the synthesized JSON: every difference is a finding. It
 * compares meaning, not spelling: resources are found by the bucket they act on and by the account
 * and Region of their provider, not by Terraform address or provider alias, and a filter is its
 * prefix and tags in whichever form S3 takes them.
 */
import { resolve } from "node:path";
import {
  type CreatedKey,
  type Place,
  type Reference,
  type ReferenceBucket,
  type ReferenceReplication,
  type ReferenceRule,
  ROLE_NAME_MAX,
  referenceOf,
} from "./reference";

type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Reading the synthesized JSON

/** Terraform's escapes: `$${` is a literal `${`, `%%{` a literal `%{`, read left to right. */
function literal(text: string): string {
  return text.replace(/([$%])\1\{/g, "$1{");
}

function literalJson(value: unknown): any {
  if (typeof value === "string") return literal(value);
  if (Array.isArray(value)) return value.map(literalJson);
  if (value !== null && typeof value === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, literal(k), { value: literalJson(v), enumerable: true });
    }
    return out;
  }
  return value;
}

/** A project reference to a resource's attribute, as written (unescaped `${`). */
function referenceTo(raw: unknown, type: string): { name: string; attribute: string } | undefined {
  const m = typeof raw === "string" ? new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.([a-z_]+)\\}$`).exec(raw) : null;
  return m ? { name: m[1], attribute: m[2] } : undefined;
}

interface Resource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  /** Template escapes resolved. */
  readonly body: Json;
  /** As written. */
  readonly raw: Json;
  /** The provider's account and Region, when it names a provider of the stack pinned to one account. */
  readonly where?: string;
}

const whereOf = (p: Pick<Place, "accountId" | "region">) => `account ${p.accountId} in ${p.region}`;

function resourcesOf(stack: string, raw: Json): Resource[] {
  const providers = new Map<string, string>();
  for (const p of raw.provider?.aws ?? []) {
    const ids = p.allowed_account_ids ?? [];
    if (ids.length === 1)
      providers.set(`aws.${literal(p.alias ?? "")}`, whereOf({ accountId: ids[0], region: p.region }));
  }
  return Object.entries<Json>(raw.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries<Json>(byName).map(([name, body]) => ({
      stack,
      type,
      name,
      raw: body,
      body: literalJson(body),
      where: providers.get(body.provider),
    })),
  );
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, sorted(v)]),
  );
}

/** JSON with keys sorted and undefined left out: equal meaning, equal text. */
const canonical = (value: unknown): string => JSON.stringify(sorted(value));

/** The aws_kms_keys of a stack that an aws_kms_alias named `alias` points at; with `where`, an alias there only. */
function createdKeys(resources: readonly Resource[], stack: string, alias: string, where?: string): Resource[] {
  const names = resources
    .filter((r) => r.stack === stack && r.type === "aws_kms_alias" && r.body.name === alias)
    .filter((r) => where === undefined || r.where === where)
    .map((r) => referenceTo(r.raw.target_key_id, "aws_kms_key")?.name);
  return resources.filter((r) => r.stack === stack && r.type === "aws_kms_key" && names.includes(r.name));
}

// ---------------------------------------------------------------------------------------------
// The comparison

/** What the reference compared, by feature: a measure of how far the fuzz reaches. */
export type Coverage = Record<string, number>;

export interface ReferenceResult {
  readonly findings: string[];
  readonly coverage: Coverage;
}

interface Context {
  readonly reference: Reference;
  readonly resources: readonly Resource[];
  readonly findings: string[];
  readonly count: (feature: string) => void;
}

/**
 * Every difference between what the accepted `config` (parsed JSON) says and the synthesized
 * `stacks` (stack name -> cdk.tf.json as written). `outdir` is where the stacks were written
 * (`<outdir>/stacks/<stack>`), to resolve local state paths.
 */
export function referenceFindings(config: Json, stacks: ReadonlyMap<string, Json>, outdir: string): ReferenceResult {
  const coverage: Coverage = {};
  const context: Context = {
    reference: referenceOf(config),
    resources: [...stacks].flatMap(([stack, raw]) => resourcesOf(stack, raw)),
    findings: [],
    count: (feature) => {
      coverage[feature] = (coverage[feature] ?? 0) + 1;
    },
  };
  checkStacks(context, stacks, outdir);
  for (const r of context.reference.replications) checkReplication(context, r);
  checkBuckets(context);
  checkKeys(context);
  return { findings: context.findings, coverage };
}

/** Exactly the stacks the layout names, each with its providers and its own state. */
function checkStacks({ reference, findings }: Context, stacks: ReadonlyMap<string, Json>, outdir: string): void {
  for (const stack of reference.stacks) if (!stacks.has(stack)) findings.push(`stack ${stack} is missing`);
  for (const [stack, raw] of stacks) {
    const say = (what: string) => findings.push(`${stack}: ${what}`);
    if (!reference.stacks.has(stack)) {
      findings.push(`stack ${stack} is not in the config`);
      continue;
    }
    const expected = new Set((reference.providers.get(stack) ?? []).map(canonical));
    const actual = new Set<string>((raw.provider?.aws ?? []).map(writtenProvider));
    for (const p of expected) if (!actual.has(p)) say(`no provider ${p}`);
    for (const p of actual) if (!expected.has(p)) say(`provider ${p} is not in the config`);
    const state = reference.state(stack);
    const backend = literalJson(raw.terraform?.backend ?? {});
    if (state.type === "local") {
      const path = backend.local?.path;
      const file = typeof path === "string" ? resolve(outdir, "stacks", stack, path) : undefined;
      if (file !== resolve(outdir, "..", state.file))
        say(`local state at ${path}, not ${state.file} in the project root`);
    } else {
      const { type: _, ...attributes } = state;
      const s3 = backend.s3 ?? {};
      const written = canonical({ ...pick(s3, Object.keys(attributes)), assume_role: assumeRole(s3.assume_role) });
      if (written !== canonical(attributes)) say(`S3 state ${written}, config says ${canonical(attributes)}`);
    }
    for (const removed of raw.removed ?? []) {
      if (removed.lifecycle?.destroy !== false) say(`removed ${removed.from} would destroy it`);
    }
  }
}

function pick(object: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.map((k) => [k, object[k]]));
}

function assumeRole(role: Json | undefined): Json | undefined {
  return role && pick(role, ["role_arn", "session_name", "external_id"]);
}

/** A provider as written, in the reference's terms. */
function writtenProvider(provider: Json): string {
  const p = literalJson(provider);
  const ids = p.allowed_account_ids ?? [];
  const tags = { ...(p.default_tags?.[0]?.tags ?? {}) };
  if (typeof tags["managed-by"] === "string" && tags["managed-by"] !== "") tags["managed-by"] = "(set)";
  return canonical({
    account: ids.length === 1 ? ids[0] : ids,
    region: p.region,
    profile: p.profile,
    assume_role: assumeRole(p.assume_role?.[0]),
    tags,
  });
}

/** The replication configuration of a source bucket, in its stack, with the role and every rule. */
function checkReplication(context: Context, r: ReferenceReplication): void {
  const { reference, resources, findings, count } = context;
  const say = (what: string) => findings.push(`${r.stack}: ${what}`);
  const configurations = resources.filter((c) => c.type === "aws_s3_bucket_replication_configuration");
  for (const c of configurations) {
    if (
      c.stack === r.stack &&
      !reference.replications.some((x) => x.stack === c.stack && x.source.bucket === c.body.bucket)
    ) {
      say(`a replication configuration on ${c.body.bucket}, which is no source of that stack`);
    }
  }
  const found = configurations.filter((c) => c.body.bucket === r.source.bucket);
  if (found.length !== 1 || found[0].stack !== r.stack) {
    const where = found.map((c) => c.stack).join(", ");
    say(`${found.length} replication configurations on ${r.source.bucket} (${where}), not 1 in ${r.stack}`);
    return;
  }
  const [c] = found;
  if (c.where !== whereOf(r.source)) {
    say(
      `the replication configuration is written with ${c.where ?? `provider ${c.body.provider}`}, not ${whereOf(r.source)}`,
    );
  }
  checkRole(context, r, String(c.body.role), say);
  checkOrder(context, r, c, say);
  const rules: Json[] = c.body.rule ?? [];
  for (const rule of r.rules) {
    const at = rules.findIndex((x) => x.id === rule.id);
    if (at < 0) {
      say(`rule ${JSON.stringify(rule.id)} is missing`);
      continue;
    }
    if (rules.filter((x) => x.id === rule.id).length > 1)
      say(`rule ${JSON.stringify(rule.id)} is written more than once`);
    compareRule(context, r, rule, rules[at], c.raw.rule[at], (what) => say(`rule ${JSON.stringify(rule.id)}: ${what}`));
    countRule(rule, count);
  }
  for (const x of rules) {
    if (!r.rules.some((rule) => rule.id === x.id)) say(`rule ${JSON.stringify(x.id)} is not in the config`);
  }
  checkAlarms(context, r, say);
  count("stacks");
}

/**
 * The configuration waits for what its stack writes on its buckets: their versioning and each
 * destination's bucket policy (README, Preflight: "depends_on in the same stack, a stack dependency
 * across stacks"), whichever replication of a grouped stack writes them.
 */
function checkOrder(
  { reference, resources, count }: Context,
  r: ReferenceReplication,
  c: Resource,
  say: (what: string) => void,
): void {
  const waitsFor: unknown[] = c.raw.depends_on ?? [];
  const destinations = new Set(r.rules.map((rule) => rule.destination.bucket));
  for (const bucket of new Set([r.source.bucket, ...destinations])) {
    const b = reference.buckets.get(bucket) as ReferenceBucket;
    const owners: Array<[string, string | undefined]> = [
      ["aws_s3_bucket_versioning", b.manager],
      ["aws_s3_bucket_policy", destinations.has(bucket) ? b.policyOwner : undefined],
    ];
    for (const [type, owner] of owners) {
      if (owner !== r.stack) continue;
      const written = resources.find((x) => x.stack === r.stack && x.type === type && x.body.bucket === bucket);
      if (!written) continue;
      count(`configurations waiting for ${type} in their stack`);
      if (!waitsFor.includes(`${type}.${written.name}`)) {
        say(`the replication configuration does not wait for ${type}.${written.name} (${bucket})`);
      }
    }
  }
}

function countRule(rule: ReferenceRule, count: (feature: string) => void): void {
  count("rules");
  if (rule.prefix) count("rules with a prefix");
  if (Object.keys(rule.tags).length > 0) count("rules with tags");
  if (rule.deleteMarkers) count("rules replicating delete markers");
  if (!rule.enabled) count("disabled rules");
  if (rule.ownerOverride) count("rules with owner override");
  if (rule.storageClass) count("rules with a storage class");
  if (rule.replicaKey) count(`rules with a replica key (${rule.replicaKey.kind})`);
  if (rule.replicaModifications) count("rules with replica modifications");
  if (rule.rtc) count("rules with RTC");
  if (rule.metrics) count("rules with metrics");
  if (rule.sharedDestination) count("rules into a shared destination");
}

/** The role S3 assumes: in the source account, with the configured (or default) name and path. */
function checkRole({ resources }: Context, r: ReferenceReplication, arn: string, say: (what: string) => void): void {
  const base = `arn:${r.source.partition}:iam::${r.source.accountId}:role${r.rolePath}`;
  const name = arn.slice(base.length);
  const matches = r.roleNameCut
    ? arn.startsWith(base + r.roleName) && name.length <= ROLE_NAME_MAX && !name.includes("/")
    : arn === base + r.roleName;
  if (!matches) {
    say(`replicates with role ${arn}, not ${base}${r.roleName}${r.roleNameCut ? "…" : ""}`);
    return;
  }
  const role = resources.find(
    (x) =>
      x.stack === r.stack && x.type === "aws_iam_role" && x.body.name === name && (x.body.path ?? "/") === r.rolePath,
  );
  if (!role) say(`role ${name} (path ${r.rolePath}) is not created`);
  else if (role.where !== whereOf(r.source)) say(`role ${name} is created with ${role.where}`);
}

/** The filter's prefix and tags, whichever of the V2 forms carries them. */
function filterOf(rule: Json): { prefix: string; tags: Record<string, string>; problem?: string } {
  const filter: Json = rule.filter ?? {};
  const forms = ["prefix", "tag", "and"].filter((k) => filter[k] !== undefined);
  const tags: Record<string, string> = {};
  if (filter.tag) tags[filter.tag.key] = filter.tag.value;
  Object.assign(tags, filter.and?.tags ?? {});
  return {
    prefix: filter.prefix ?? filter.and?.prefix ?? rule.prefix ?? "",
    tags,
    problem: forms.length > 1 ? `the filter holds ${forms.join(" and ")}, S3 takes one` : undefined,
  };
}

/** A status block; S3 takes an absent one as Disabled. */
function status(block: Json | undefined): string {
  return block?.status ?? "Disabled";
}

function compareRule(
  { resources }: Context,
  r: ReferenceReplication,
  rule: ReferenceRule,
  written: Json,
  raw: Json,
  say: (what: string) => void,
): void {
  const differs = (what: string, actual: unknown, expected: unknown) => {
    if (canonical(actual) !== canonical(expected)) {
      say(`${what} ${JSON.stringify(actual)}, config says ${JSON.stringify(expected)}`);
    }
  };
  const onOff = (on: boolean) => (on ? "Enabled" : "Disabled");
  differs("priority", written.priority, rule.priority);
  differs("status", written.status, onOff(rule.enabled));
  const filter = filterOf(written);
  if (filter.problem) say(filter.problem);
  differs("prefix", filter.prefix, rule.prefix);
  differs("tags", filter.tags, rule.tags);
  differs("delete-marker replication", status(written.delete_marker_replication), onOff(rule.deleteMarkers));
  const destination: Json = written.destination ?? {};
  const d = rule.destination;
  differs("destination bucket", destination.bucket, `arn:${d.partition}:s3:::${d.bucket}`);
  // S3 needs the destination account with owner override; where written, it must be the right one.
  if (destination.account !== undefined || rule.ownerOverride) {
    differs("destination account", destination.account, d.accountId);
  }
  const translation = rule.ownerOverride ? { owner: "Destination" } : null;
  differs("owner override", destination.access_control_translation ?? null, translation);
  differs("storage class", destination.storage_class ?? null, rule.storageClass ?? null);
  const selection = written.source_selection_criteria;
  differs("SSE-KMS objects", status(selection?.sse_kms_encrypted_objects), onOff(rule.replicaKey !== undefined));
  differs("replica modifications", status(selection?.replica_modifications), onOff(rule.replicaModifications));
  // README, RTC: 15 minutes, the only value S3 takes, and metrics with the 15-minute event threshold.
  differs("RTC", destination.replication_time ?? null, rule.rtc ? { status: "Enabled", time: { minutes: 15 } } : null);
  const metrics = rule.metrics ? { status: "Enabled", event_threshold: { minutes: 15 } } : null;
  differs("metrics", destination.metrics ?? null, metrics);
  const key = raw.destination?.encryption_configuration?.replica_kms_key_id;
  const expected = rule.replicaKey;
  if (!expected) {
    if (key !== undefined) say(`replica key ${key}, config names none`);
  } else if (expected.kind === "existing") {
    differs("replica key", key, expected.arn);
  } else if (rule.sharedDestination) {
    // README, Central log archive: a source rule names a shared key by its alias ARN.
    differs("replica key", key, `arn:${d.partition}:kms:${d.region}:${d.accountId}:${expected.alias}`);
  } else {
    const targets = createdKeys(resources, r.stack, expected.alias, whereOf(d)).map((k) => k.name);
    const reference = referenceTo(key, "aws_kms_key");
    if (!reference || !targets.includes(reference.name) || reference.attribute !== "arn") {
      say(`replica key ${key}, not the ARN of the key the stack creates with alias ${expected.alias}`);
    }
  }
}

/** README, Replication Time Control and alarms: two alarms per enabled rule with metrics. */
function checkAlarms({ resources }: Context, r: ReferenceReplication, say: (what: string) => void): void {
  const inStack = (type: string) => resources.filter((x) => x.stack === r.stack && x.type === type);
  const mine = inStack("aws_cloudwatch_metric_alarm").filter(
    (a) => a.body.dimensions?.SourceBucket === r.source.bucket,
  );
  const m = r.monitoring;
  const expected = m
    ? r.rules
        .filter((rule) => rule.enabled && rule.metrics)
        .flatMap((rule) => [
          canonical([rule.id, rule.destination.bucket, "OperationsFailedReplication", "Sum", 0]),
          canonical([rule.id, rule.destination.bucket, "ReplicationLatency", "Maximum", m.latency]),
        ])
    : [];
  const actual = mine.map((a) =>
    canonical([
      a.body.dimensions.RuleId,
      a.body.dimensions.DestinationBucket,
      a.body.metric_name,
      a.body.statistic,
      a.body.threshold,
    ]),
  );
  for (const e of expected) if (!actual.includes(e)) say(`no alarm ${e}`);
  for (const a of actual) if (!expected.includes(a)) say(`alarm ${a} is not in the config`);
  const source = whereOf(r.source);
  const topics = inStack("aws_sns_topic");
  for (const a of mine) {
    if (a.where !== source) say(`alarm ${a.name} is in ${a.where}, not ${source}`);
    if (a.body.comparison_operator !== "GreaterThanThreshold")
      say(`alarm ${a.name} compares ${a.body.comparison_operator}`);
    const actions: string[] = a.raw.alarm_actions ?? [];
    const ok = m?.topicArn
      ? canonical(a.body.alarm_actions) === canonical([m.topicArn])
      : actions.length === 1 &&
        topics.some((t) => t.name === referenceTo(actions[0], "aws_sns_topic")?.name && t.where === source);
    if (!ok)
      say(`alarm ${a.name} notifies ${JSON.stringify(actions)}, not ${m?.topicArn ?? "the topic the stack creates"}`);
  }
  if (m?.email && !m.topicArn && expected.length > 0) {
    const subscriptions = inStack("aws_sns_topic_subscription");
    if (!subscriptions.some((s) => s.body.protocol === "email" && s.body.endpoint === m.email)) {
      say(`no email subscription for ${m.email}`);
    }
  }
}

/** Versioning, policy and creation of every bucket: by its one owning stack, in its own account. */
function checkBuckets(context: Context): void {
  const { reference, resources, findings, count } = context;
  const documents = (type: string, bucket: string) =>
    resources.filter((r) => r.type === type && r.body.bucket === bucket);
  for (const [bucket, b] of reference.buckets) {
    const versioning = writtenOnce(context, "aws_s3_bucket_versioning", b, b.manager);
    const state = versioning?.body.versioning_configuration?.status;
    if (versioning && state !== "Enabled")
      findings.push(`${b.manager}: versioning of ${bucket} is ${state}, not Enabled`);
    const policy = writtenOnce(context, "aws_s3_bucket_policy", b, b.policyOwner);
    if (b.place.create) {
      count("created buckets");
      checkCreated(context, b, policy);
    } else {
      for (const type of ["aws_s3_bucket", "aws_s3_bucket_ownership_controls"]) {
        for (const f of documents(type, bucket))
          findings.push(`${f.stack}: ${type} on ${bucket}, which exists already`);
      }
    }
  }
  for (const r of resources) {
    if (
      ["aws_s3_bucket_versioning", "aws_s3_bucket_policy", "aws_s3_bucket"].includes(r.type) &&
      !reference.buckets.has(r.body.bucket)
    ) {
      findings.push(`${r.stack}: ${r.type} on ${r.body.bucket}, which is not in the config`);
    }
  }
}

/** The one `type` resource on the bucket, in `stack` (none when no stack should write it). */
function writtenOnce(
  { resources, findings }: Context,
  type: string,
  b: ReferenceBucket,
  stack?: string,
): Resource | undefined {
  const bucket = b.place.bucket;
  const found = resources.filter((r) => r.type === type && r.body.bucket === bucket);
  if (stack === undefined) {
    for (const f of found) findings.push(`${f.stack}: ${type} on ${bucket}, which no stack should write`);
    return undefined;
  }
  if (found.length !== 1 || found[0].stack !== stack) {
    findings.push(
      `${type} on ${bucket}: in ${found.map((f) => f.stack).join(", ") || "no stack"}, not once in ${stack}`,
    );
    return undefined;
  }
  if (found[0].where !== whereOf(b.place)) {
    const where = found[0].where ?? `provider ${found[0].body.provider}`;
    findings.push(`${stack}: ${type} on ${bucket} is written with ${where}, not ${whereOf(b.place)}`);
  }
  return found[0];
}

/** README, Buckets the stack creates. */
function checkCreated(context: Context, b: ReferenceBucket, policy: Resource | undefined): void {
  const { place: p, manager } = b;
  const say = (what: string) => context.findings.push(`${manager}: created bucket ${p.bucket} ${what}`);
  const one = (type: string) => writtenOnce(context, type, b, manager)?.body;
  const created = one("aws_s3_bucket");
  if (created) {
    if ((created.object_lock_enabled === true) !== p.objectLock) {
      say(`has object_lock_enabled ${created.object_lock_enabled}, config says ${p.objectLock}`);
    }
    if (created.force_destroy !== false) say("may be force-destroyed");
    if (created.lifecycle?.prevent_destroy !== true) say("can be destroyed");
  }
  const access = one("aws_s3_bucket_public_access_block");
  const blocks = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
  if (access && !blocks.every((k) => access[k] === true)) say("does not block all public access");
  const ownership = one("aws_s3_bucket_ownership_controls");
  if (ownership && ownership.rule?.object_ownership !== "BucketOwnerEnforced") {
    say(`has ownership ${ownership.rule?.object_ownership}`);
  }
  const encryption = one("aws_s3_bucket_server_side_encryption_configuration");
  const algorithm = encryption?.rule?.[0]?.apply_server_side_encryption_by_default?.sse_algorithm;
  if (encryption && algorithm !== "AES256") say("is not SSE-S3 by default");
  if (policy) {
    const arn = `arn:${p.partition}:s3:::${p.bucket}`;
    const statements: Json[] = [JSON.parse(policy.body.policy).Statement].flat();
    const tlsOnly = statements.some((s) => {
      const resources = [s.Resource].flat();
      return (
        s.Effect === "Deny" &&
        String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false" &&
        resources.includes(arn) &&
        resources.includes(`${arn}/*`)
      );
    });
    if (!tlsOnly) say("has no TLS-only statement in its bucket policy");
  }
}

/** Replica keys the stacks create: where the reference puts them, rotated, kept, and aliased once. */
function checkKeys({ reference, resources, findings }: Context): void {
  const keys = resources.filter((r) => r.type === "aws_kms_key");
  if (keys.length !== reference.keys.length) {
    const names = keys.map((k) => `${k.stack}/${k.name}`).join(", ");
    findings.push(`${keys.length} KMS keys created (${names}), not ${reference.keys.length}`);
  }
  // KMS refuses a second alias of one name in an account and Region.
  // @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
  const aliases = new Map<string, string[]>();
  for (const a of resources.filter((r) => r.type === "aws_kms_alias")) {
    const key = `${a.body.name} in ${a.where}`;
    aliases.set(key, [...(aliases.get(key) ?? []), `${a.stack}/${a.name}`]);
  }
  for (const [alias, at] of aliases) {
    if (at.length > 1) findings.push(`KMS alias ${alias} is created ${at.length} times (${at.join(", ")})`);
  }
  for (const key of reference.keys) checkKey(resources, key, findings);
}

function checkKey(resources: readonly Resource[], key: CreatedKey, findings: string[]): void {
  const where = whereOf(key.place);
  const say = (what: string) => findings.push(`${key.stack}: ${what}`);
  const [resource] = [
    ...createdKeys(resources, key.stack, key.alias, where),
    ...createdKeys(resources, key.stack, key.alias),
  ];
  if (!resource) {
    say(`no key with alias ${key.alias}`);
    return;
  }
  if (resource.where !== where) say(`key ${key.alias} is created with ${resource.where}, not ${where}`);
  // README, SSE-KMS objects: "rotation on", "prevent_destroy".
  if (resource.body.enable_key_rotation !== true) say(`key ${key.alias} is not rotated`);
  if (resource.body.lifecycle?.prevent_destroy !== true) say(`key ${key.alias} can be destroyed`);
}
