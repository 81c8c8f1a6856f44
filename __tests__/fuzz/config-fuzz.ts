/**
 * A config fuzzer: generated and mutated config files go through `npm run synth`'s code in
 * process. Every run must end in a path-named rejection or in stacks that pass the output
 * oracle and say what the config says (reference.ts); a thrown exception, a stack trace in the
 * output or a run over 5 s is a finding. `npm run fuzz` runs it at scale; fuzz.test.ts runs a
 * seeded slice in `npm test`; `npm run fuzz:mutations` shows that the slice fails on a broken
 * product.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { partitionOf } from "../../lib/arn";
import { runSynth } from "../../lib/cli/synth";
import { bucketNameProblem } from "../../lib/config/bucket-name";
import { loadConfig } from "../../lib/config/loader";
import type { Model } from "../../lib/config/model";
import type { ConfigInput } from "../../lib/config/schema";
import { BUCKET_POLICY_LIMIT, ROLE_INLINE_POLICIES_LIMIT } from "../../lib/policy-sizes";
import { mapStrings, unescapeTemplateText } from "../../lib/terraform-template";
import { exampleConfig, guideConfig } from "../helpers/config";
import type { Json } from "../helpers/loose-json";
import { type Coverage, referenceFindings } from "./reference-findings";

// ---------------------------------------------------------------------------------------------
// Inputs

/** Text that has broken something somewhere: templates, IAM escapes, JS names, token markers. */
const NASTY = [
  '${file("/etc/passwd")}',
  "logs/${path.module}/",
  "%{ if true }x%{ endif }",
  "$${already}",
  "%%{already}",
  "logs$/",
  "a$",
  "%",
  "${aws:username}",
  "${*}",
  "${TfToken[TOKEN.1]}",
  "#{TfToken[TOKEN.2]}",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "/leading",
  "trailing/",
  "../..",
  "\u0000",
  "\u001f",
  "\u2028",
  "日本語",
  "😀",
  '"quoted"',
  "back\\slash",
  "*",
  "?",
  "",
  " ",
  "a".repeat(300),
  "b".repeat(70_000),
];

const templateish = fc.string({
  unit: fc.constantFrom("$", "%", "{", "}", "a", "/", "*", "?", "\\", '"', " ", ".", "-", "é"),
  maxLength: 16,
});

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: templateish },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 24 }) },
);

/** Hostile text the loader has no reason to refuse: it must reach AWS exactly as written. */
const acceptedText: fc.Arbitrary<string> = hostileText
  .map((t) => t.normalize("NFC"))
  .filter((t) => t.length >= 2 && t.length <= 128 && !/[$#&]\{TfToken\[/.test(t) && t !== "__proto__");

/** Tag text by AWS's rule, with JavaScript's own property names (mutations bring the rest). */
const tagText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("constructor", "toString", "prototype", "a b", "x:y/z=1+2-3@4", "日本"),
  fc
    .string({ unit: fc.constantFrom("a", "é", "日", "1", " ", "_", ".", ":", "/", "=", "+", "-", "@"), maxLength: 20 })
    .filter((t) => t.length >= 1),
);

/**
 * Characters IAM policies can hold (U+0020 to U+00FF), with the template and IAM specials; not
 * the controls and the soft hyphen, which the loader refuses in prefixes.
 */
const iamText = fc.string({
  unit: fc.oneof(
    fc.constantFrom("$", "%", "{", "}", "*", "?", "/", " ", "é", "ÿ", '"', "\\"),
    fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => (c < 0x7f || c > 0x9f) && c !== 0xad)
      .map((c) => String.fromCharCode(c)),
  ),
  maxLength: 24,
});

const hostileNumber = fc.constantFrom(-1, 0, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e308, -1e308, 15, 900);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Regions by partition; the last group holds Regions outside every list or pattern. */
const REGIONS_BY_PARTITION = [
  ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-7", "us-east-9"],
  ["cn-north-1", "cn-northwest-1"],
  ["us-gov-west-1", "us-gov-east-1"],
  ["us-iso-east-1", "us-iso-west-1"],
  ["us-isob-east-1"],
  ["eu-isoe-west-1"],
  ["us-isof-south-1", "us-isof-east-1"],
  ["eusc-de-east-1"],
];

/** Valid bucket names, JavaScript's own property names among them (mutations make bad ones). */
const bucketName = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/).filter((b) => bucketNameProblem(b) === undefined),
  fc.constantFrom("constructor", "prototype", "a.b.c", "to-string"),
);

const accountId = fc.constantFrom("111122223333", "444455556666", "777788889999");

/** What the rules into one destination bucket agree on: the bucket's settings and its replica key. */
const destinationSettings = fc.record({
  create: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  objectOwnership: fc.option(fc.constantFrom("BucketOwnerEnforced" as const, "ObjectWriter" as const), {
    nil: undefined,
  }),
  replicaKey: fc.constantFrom("none", "none", "existing", "created"),
  alias: fc.option(fc.constantFrom("alias/fuzz-replicas", "alias/a/b_c-1"), { nil: undefined }),
});

const storageClass = fc.constantFrom("STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE");

/** A config that is valid or close to it, with hostile text in every free-text field. */
export const generatedConfig: fc.Arbitrary<ConfigInput> = fc
  .record({
    regions: fc.constantFrom(...REGIONS_BY_PARTITION),
    accountIds: fc.tuple(accountId, accountId),
    sourceBucket: bucketName,
    sourceCreated: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    destinations: fc.uniqueArray(bucketName, { minLength: 1, maxLength: 3 }),
    destinationSettings: fc.tuple(destinationSettings, destinationSettings, destinationSettings),
    rules: fc.array(
      fc.record({
        prefix: fc.option(iamText, { nil: undefined }),
        tags: fc.option(fc.dictionary(tagText, tagText, { maxKeys: 3 }), { nil: undefined }),
        replicaOwner: fc.constantFrom("destination" as const, "source" as const),
        destination: fc.nat(2),
        deleteMarkers: fc.boolean(),
        enabled: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        storageClass: fc.option(storageClass, { nil: undefined, freq: 3 }),
        rtc: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    tags: fc.dictionary(tagText, tagText, { maxKeys: 3 }),
    profile: acceptedText,
    externalId: fc.option(acceptedText, { nil: undefined }),
    rolePath: fc.option(fc.stringMatching(/^\/([!-~]{1,20}\/)?$/), { nil: undefined }),
    email: fc.option(
      iamText.map((t) => `${t.replace(/[@\s]/g, "x") || "x"}@example.com`),
      { nil: undefined },
    ),
    statementText: fc.option(acceptedText, { nil: undefined }),
    keyPrefix: fc.option(fc.constantFrom("state", "a/b", "s3-replication"), { nil: undefined }),
    fanIn: fc.boolean(),
    twoWay: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    // Stack layouts: every layout, and a stack of the config's own for the last of several replications.
    layout: fc.option(fc.constantFrom("per-bucket" as const, "per-account" as const, "single" as const), {
      nil: undefined,
    }),
    ownStack: fc.option(fc.constantFrom("team-a", "logs"), { nil: undefined, freq: 3 }),
  })
  // A bucket replicating into itself is refused: the checks have their own tests.
  .filter((g) => !g.destinations.includes(g.sourceBucket) && !g.destinations.includes(`${g.sourceBucket}-2`))
  .map((g): ConfigInput => {
    const destinationOf = (k: number) => g.destinations[k % g.destinations.length];
    const regionOf = (k: number) => g.regions[k % g.regions.length];
    const keyArn = (region: string, account: string, id: string) =>
      `arn:${partitionOf(region)}:kms:${region}:${account}:key/${id}-1111-2222-3333-444455556666`;
    /** The destination's side of a rule into destination k: every mention of one bucket agrees. */
    const destination = (k: number) => {
      const settings = g.destinationSettings[k % g.destinations.length];
      const region = regionOf(k % g.destinations.length);
      const replicaKms =
        settings.replicaKey === "existing"
          ? { keyArn: keyArn(region, g.accountIds[1], "0f1e2d3c") }
          : settings.replicaKey === "created"
            ? { create: true, ...(settings.alias === undefined ? {} : { alias: settings.alias }) }
            : undefined;
      // Created buckets are BucketOwnerEnforced, and they own every replica whatever the rule says.
      const ownership = settings.create ? undefined : settings.objectOwnership;
      const bucket = {
        account: "backup",
        bucket: destinationOf(k),
        region,
        ...(settings.create ? { create: true } : {}),
        ...(ownership === undefined ? {} : { objectOwnership: ownership }),
      };
      return {
        bucket,
        config: { ...bucket, ...(replicaKms ? { replicaKms } : {}) },
        sseKms: replicaKms !== undefined,
        ownerEnforced: settings.create || ownership === "BucketOwnerEnforced",
        // Two-way: the first destination replicates back, and both directions sync replica changes.
        replicaModifications: g.twoWay && k % g.destinations.length === 0,
      };
    };
    const sourceKeys = (region: string) => ({ sseKmsKeyArns: [keyArn(region, g.accountIds[0], "a1b2c3d4")] });
    const extraStatements =
      g.statementText === undefined
        ? undefined
        : {
            [destinationOf(0)]: {
              additionalStatements: [
                {
                  Sid: "Extra",
                  Effect: "Deny" as const,
                  Principal: "*",
                  Action: "s3:DeleteObject",
                  Resource: `arn:${partitionOf(regionOf(0))}:s3:::${destinationOf(0)}/*`,
                  Condition: { StringNotLike: { "aws:username": [g.statementText, "${aws:username}"] } },
                },
              ],
            },
          };
    const config: ConfigInput = {
      backend: {
        type: "s3",
        bucket: "fuzz-state-bucket",
        region: g.regions[0],
        ...(g.keyPrefix === undefined ? {} : { keyPrefix: g.keyPrefix }),
      },
      accounts: {
        source: { accountId: g.accountIds[0], region: g.regions[0], credentials: { profile: g.profile } },
        backup: {
          accountId: g.accountIds[1],
          region: regionOf(1),
          credentials: {
            profile: g.profile,
            ...(g.externalId === undefined ? {} : { externalId: g.externalId }),
          },
        },
      },
      tags: g.tags,
      replications: [
        {
          source: {
            account: "source",
            bucket: g.sourceBucket,
            ...(g.sourceCreated ? { create: true } : {}),
            ...(g.rules.some((rule) => destination(rule.destination).sseKms) ? sourceKeys(g.regions[0]) : {}),
          },
          ...(g.rolePath === undefined ? {} : { role: { path: g.rolePath } }),
          rules: g.rules.map((rule, j) => ({
            id: `rule-${j}`,
            priority: j,
            ...(rule.enabled ? {} : { enabled: false }),
            ...(rule.prefix !== undefined || rule.tags
              ? { filter: { ...(rule.prefix !== undefined ? { prefix: rule.prefix } : {}), tags: rule.tags } }
              : {}),
            // S3 refuses delete-marker replication with a tag filter.
            ...(rule.deleteMarkers && Object.keys(rule.tags ?? {}).length === 0
              ? { deleteMarkerReplication: true }
              : {}),
            ...(destination(rule.destination).sseKms ? { replicateSseKms: true } : {}),
            ...(destination(rule.destination).replicaModifications ? { replicaModifications: true } : {}),
            ...(rule.rtc ? { replicationTime: { minutes: 15 } } : {}),
            ...(j === 0 && g.email !== undefined ? { metrics: true } : {}),
            ...(destination(rule.destination).ownerEnforced ? {} : { replicaOwner: rule.replicaOwner }),
            destination: {
              ...destination(rule.destination).config,
              ...(rule.storageClass === undefined ? {} : { storageClass: rule.storageClass }),
            },
          })),
          ...(g.email === undefined ? {} : { monitoring: { email: g.email } }),
          ...(extraStatements && !g.fanIn ? { destinationPolicies: extraStatements } : {}),
        },
      ],
    };
    if (g.twoWay && g.rules.some((rule) => rule.destination % g.destinations.length === 0)) {
      config.replications.push({
        source: destination(0).bucket,
        rules: [
          {
            id: "back",
            priority: 0,
            replicaModifications: true,
            destination: {
              account: "source",
              bucket: g.sourceBucket,
              region: g.regions[0],
              ...(g.sourceCreated ? { create: true } : {}),
            },
          },
        ],
      });
    }
    if (g.fanIn) {
      // A second source into the first destination: the destination gets a stack of its own.
      const target = destination(0);
      config.replications.push({
        source: {
          account: "source",
          bucket: `${g.sourceBucket}-2`.slice(0, 63),
          ...(target.sseKms ? sourceKeys(g.regions[0]) : {}),
        },
        rules: [
          {
            id: "fan-in",
            priority: 0,
            ...(target.sseKms ? { replicateSseKms: true } : {}),
            destination: target.config,
          },
        ],
      });
      if (extraStatements) config.sharedDestinations = extraStatements;
    }
    if (g.layout !== undefined) config.stackLayout = g.layout;
    if (g.ownStack !== undefined && config.replications.length > 1) {
      (config.replications.at(-1) as ConfigInput["replications"][number]).stack = g.ownStack;
    }
    return config;
  });

/** Configs that are known to be valid, to mutate. */
export function baseConfigs(): ConfigInput[] {
  return [
    guideConfig(),
    ...readdirSync(join(__dirname, "../../examples"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => exampleConfig(f.replace(/\.json$/, ""))),
  ];
}

type Path = Array<string | number>;

/** Every path to a value inside `value`. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** Sets an own property, even `__proto__`, as JSON.parse would. */
function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export type ValueMutation =
  | { readonly kind: "set"; readonly pick: number; readonly value: unknown }
  | { readonly kind: "delete"; readonly pick: number }
  | { readonly kind: "add"; readonly pick: number; readonly key: string; readonly value: unknown };

const valueMutation: fc.Arbitrary<ValueMutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("add" as const),
    pick: fc.nat(),
    key: fc.oneof(hostileText, fc.constantFrom("__proto__", "constructor", "bucket", "region", "prefix")),
    value: hostileValue,
  }),
);

function applyValueMutation(base: unknown, mutation: ValueMutation): unknown {
  const copy = structuredClone(base);
  const all = paths(copy).filter((p) => p.length > 0);
  if (all.length === 0) return copy;
  const path = all[mutation.pick % all.length];
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const key = path[path.length - 1];
  if (mutation.kind === "set") setOwn(parent, key, mutation.value);
  else if (mutation.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else {
    const target = parent[key];
    if (target && typeof target === "object" && !Array.isArray(target)) setOwn(target, mutation.key, mutation.value);
  }
  return copy;
}

export type TextMutation =
  | { readonly kind: "none" }
  | { readonly kind: "number"; readonly pick: number; readonly literal: string }
  | { readonly kind: "duplicate"; readonly pick: number; readonly value: string }
  | { readonly kind: "nest"; readonly pick: number; readonly depth: number }
  | { readonly kind: "truncate"; readonly at: number };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "none" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("number" as const),
      pick: fc.nat(),
      literal: fc.constantFrom("1e400", "-1e400", "2147483648", "1e-400", "0.5", "-0", "99999999999999999999"),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("duplicate" as const),
      pick: fc.nat(),
      value: hostileValue.map((v) => JSON.stringify(v) ?? "null"),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("nest" as const),
      pick: fc.nat(),
      depth: fc.constantFrom(31, 33, 100, 7_000, 50_000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
);

function applyTextMutation(text: string, mutation: TextMutation): string {
  const pickMatch = (pattern: RegExp, pick: number): RegExpExecArray | undefined => {
    const matches = [...text.matchAll(pattern)];
    return matches.length === 0 ? undefined : (matches[pick % matches.length] as RegExpExecArray);
  };
  switch (mutation.kind) {
    case "none":
      return text;
    case "number": {
      const m = pickMatch(/(?<=: )-?\d+(\.\d+)?(?=[,\n}])/g, mutation.pick);
      return m ? text.slice(0, m.index) + mutation.literal + text.slice(m.index + m[0].length) : text;
    }
    case "duplicate": {
      // The first key of an object, written again before it with another value.
      const m = pickMatch(/\{\s*("(?:[^"\\]|\\.)*")\s*:/g, mutation.pick);
      if (!m) return text;
      const at = m.index + 1;
      return `${text.slice(0, at)}${m[1]}: ${mutation.value},${text.slice(at)}`;
    }
    case "nest": {
      const m = pickMatch(/: /g, mutation.pick);
      if (!m) return text;
      const at = m.index + 2;
      const rest = text.slice(at);
      const valueEnd = rest.search(/[,\n}]/);
      const value = rest.slice(0, valueEnd < 0 ? rest.length : valueEnd);
      return `${text.slice(0, at)}${"[".repeat(mutation.depth)}${value}${"]".repeat(mutation.depth)}${rest.slice(value.length)}`;
    }
    case "truncate":
      return text.slice(0, mutation.at % Math.max(1, text.length));
  }
}

export type Encoding = "utf8" | "utf8-bom" | "utf16le-bom" | "utf16be-bom" | "utf16le" | "latin1";

const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 20, arbitrary: fc.constant("utf8" as const) },
  { weight: 1, arbitrary: fc.constantFrom("utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "latin1") },
);

function encode(text: string, how: Encoding): Buffer {
  switch (how) {
    case "utf8":
      return Buffer.from(text, "utf8");
    case "utf8-bom":
      return Buffer.from(`\uFEFF${text}`, "utf8");
    case "utf16le-bom":
      return Buffer.from(`\uFEFF${text}`, "utf16le");
    case "utf16be-bom":
      return Buffer.from(`\uFEFF${text}`, "utf16le").swap16();
    case "utf16le":
      return Buffer.from(text, "utf16le");
    case "latin1":
      return Buffer.from(text.replace(/"/, '"\u00e9'), "latin1");
  }
}

export interface FuzzCase {
  readonly origin: "generated" | "mutated";
  readonly bytes: Buffer;
}

/** Mutated known-good configs, and generated ones (mutated or not). */
export function fuzzCases(): fc.Arbitrary<FuzzCase> {
  const bases = baseConfigs();
  const mutated = fc
    .record({
      base: fc.nat(bases.length - 1),
      values: fc.array(valueMutation, { minLength: 1, maxLength: 3 }),
      text: textMutation,
      encoding,
    })
    .map(({ base, values, text, encoding: how }) => {
      const value = values.reduce<unknown>((v, m) => applyValueMutation(v, m), bases[base]);
      return {
        origin: "mutated" as const,
        bytes: encode(applyTextMutation(JSON.stringify(value, null, 2), text), how),
      };
    });
  const generated = fc
    .record({ config: generatedConfig, values: fc.array(valueMutation, { maxLength: 1 }), text: textMutation })
    .map(({ config, values, text }) => {
      const value = values.reduce<unknown>((v, m) => applyValueMutation(v, m), config);
      return {
        origin: "generated" as const,
        bytes: encode(applyTextMutation(JSON.stringify(value, null, 2), text), "utf8"),
      };
    });
  return fc.oneof(mutated, generated);
}

// ---------------------------------------------------------------------------------------------
// Output oracle

/** The project's own references: `${aws_<type>.<name>.<attribute>}`. */
const PROJECT_REFERENCE = /^\$\{aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z_]+\}/;

/** Template syntax in a raw JSON string that did not come from the project. */
export function foreignTemplateSyntax(text: string): string | undefined {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") i += 3;
    else if (c === "%" && text[i + 1] === "{") return text.slice(i, i + 40);
    else if (c === "$" && text[i + 1] === "{") {
      const reference = PROJECT_REFERENCE.exec(text.slice(i));
      if (!reference) return text.slice(i, i + 40);
      i += reference[0].length;
    } else i += 1;
  }
  return undefined;
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  }
  return out;
}

/** Values of policy documents and ARN attributes that are ARNs (tags and filters are free text). */
function arnsIn(resources: Json): string[] {
  const arns: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (["tags", "tags_all", "default_tags", "filter", "prefix", "description"].includes(key)) return;
    if (typeof value === "string") {
      if (/^(policy|assume_role_policy)$/.test(key)) visit(JSON.parse(value), "");
      else if (value.startsWith("arn:")) arns.push(value);
    } else if (Array.isArray(value)) for (const v of value) visit(v, key);
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(resources, "");
  return arns;
}

/** IAM's size count: without whitespace; a created key's ARN counted at its longest. */
function iamSize(policy: string): number {
  const text = JSON.stringify(JSON.parse(policy)).replace(
    /\$\{aws_kms_key\.[^}]+\}/g,
    "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/00000000-0000-0000-0000-000000000000",
  );
  return text.replace(/\s/g, "").length;
}

/** The account each provider alias of each stack must be pinned to, from the validated config. */
export function expectedAccounts(model: Model): Map<string, Map<string, string>> {
  const stacks = new Map<string, Map<string, string>>(
    model.stacks.map((unit) => [unit.name, new Map(unit.providers.map((p) => [p.alias, p.account.accountId]))]),
  );
  if (model.stateBootstrap) {
    stacks.set(model.stateBootstrap.stackName, new Map([["state", model.stateBootstrap.account.accountId]]));
  }
  return stacks;
}

/**
 * Every broken promise about one synthesized stack, as sentences. `accounts` (provider alias ->
 * account id) checks that each provider is pinned to its own account, not just to one.
 */
/**
 * The stack without the assertions of its `check` blocks: their conditions and messages are the
 * project's own expressions (lib/constructs/existing-policy-guard.ts), over addresses only; the
 * config text a check holds (the bucket name of its data source) is still read.
 */
function withoutCheckAssertions(raw: Json): Json {
  if (!raw.check) return raw;
  const check = Object.fromEntries(
    Object.entries<Json>(raw.check).map(([name, { assert: _, ...rest }]) => [name, rest]),
  );
  return { ...raw, check };
}

export function oracleFindings(stackName: string, raw: Json, accounts?: ReadonlyMap<string, string>): string[] {
  const findings: string[] = [];
  const say = (what: string) => findings.push(`${stackName}: ${what}`);
  for (const text of allStrings(withoutCheckAssertions(raw))) {
    const foreign = foreignTemplateSyntax(text);
    if (foreign) say(`template syntax from config: ${JSON.stringify(foreign)}`);
  }
  const json = mapStrings(raw, unescapeTemplateText) as Json;
  const providers: Json[] = json.provider?.aws ?? [];
  const aliases = new Set(providers.map((p) => `aws.${p.alias}`));
  for (const p of providers) {
    const ids = p.allowed_account_ids ?? [];
    if (ids.length !== 1 || !/^\d{12}$/.test(ids[0])) say(`provider ${p.alias} is not pinned to one account`);
    else if (accounts && accounts.get(p.alias) !== ids[0]) {
      say(`provider ${p.alias} is pinned to ${ids[0]}, not its account ${accounts.get(p.alias)}`);
    }
  }
  const partitions = new Set(providers.map((p) => partitionOf(p.region ?? "")));
  if (partitions.size !== 1) say(`providers in several partitions: ${[...partitions].join(", ")}`);
  const [partition] = partitions;
  for (const arn of arnsIn(json.resource ?? {})) {
    if (!arn.startsWith(`arn:${partition}:`)) say(`ARN outside partition ${partition}: ${arn.slice(0, 80)}`);
  }
  const rolePolicies = new Map<string, number>();
  for (const [type, byName] of Object.entries<Json>(json.resource ?? {})) {
    for (const [name, resource] of Object.entries<Json>(byName)) {
      if (!aliases.has(resource.provider)) say(`${type}.${name} has no pinned provider (${resource.provider})`);
      if (type.startsWith("aws_s3_") && typeof resource.bucket === "string") {
        const problem = bucketNameProblem(resource.bucket);
        if (problem) say(`${type}.${name}: bucket name ${JSON.stringify(resource.bucket.slice(0, 70))} ${problem}`);
      }
      if (type === "aws_iam_role_policy") {
        rolePolicies.set(resource.role, (rolePolicies.get(resource.role) ?? 0) + iamSize(resource.policy));
      }
      if (type === "aws_iam_role" && iamSize(resource.assume_role_policy) > 2048) say(`${name}: trust policy too big`);
      if (
        type === "aws_s3_bucket_policy" &&
        Buffer.byteLength(JSON.stringify(JSON.parse(resource.policy))) > BUCKET_POLICY_LIMIT
      ) {
        say(`${name}: bucket policy over ${BUCKET_POLICY_LIMIT} bytes`);
      }
      if (type === "aws_kms_key" && Buffer.byteLength(resource.policy) > 32_768) say(`${name}: key policy over 32 KB`);
    }
  }
  for (const [role, size] of rolePolicies) {
    if (size > ROLE_INLINE_POLICIES_LIMIT) say(`${role}: inline policies of ${size} characters`);
  }
  const backend = json.terraform?.backend?.s3;
  if (backend) {
    if (bucketNameProblem(backend.bucket)) say(`backend bucket ${backend.bucket} is invalid`);
    if (/(^\/|\/\/|(^|\/)\.\.?(\/|$))/.test(backend.key)) say(`backend key ${backend.key} is not a plain path`);
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Runner

/**
 * The share of inputs the loader must accept: a loader that refuses everything would leave the
 * oracle nothing to judge. Measured at the documented seed: see the README's Development section.
 */
export const MIN_ACCEPTED_SHARE = 0.15;

/** Why the accepted share is too small to trust the run, if it is. */
export function acceptedShareProblem(accepted: number, run: number): string | undefined {
  return run > 0 && accepted / run >= MIN_ACCEPTED_SHARE
    ? undefined
    : `accepted ${accepted} of ${run} configs (${((100 * accepted) / Math.max(run, 1)).toFixed(1)}%), under the floor of ${100 * MIN_ACCEPTED_SHARE}%: the loader refuses what the generator means to be valid`;
}

export interface FuzzResult {
  readonly outcome: "accepted" | "rejected" | "crash";
  readonly findings: readonly string[];
  readonly millis: number;
  /** What the reference compared (accepted configs only). */
  readonly coverage?: Coverage;
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** Runs one config file through synth in process and judges the outcome. */
export function runCase(bytes: Buffer, dir = mkdtempSync(join(tmpdir(), "replication-fuzz-"))): FuzzResult {
  const file = join(dir, "config.json");
  const outdir = join(dir, "cdktf.out");
  writeFileSync(file, bytes);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const start = performance.now();
  const findings: string[] = [];
  let code: number;
  try {
    code = runSynth({
      env: { REPLICATION_CONFIG: file, CDKTF_OUTDIR: outdir },
      stdout: (l) => stdout.push(l),
      stderr: (l) => stderr.push(l),
    });
  } catch (error) {
    const millis = performance.now() - start;
    rmSync(dir, { recursive: true, force: true });
    return { outcome: "crash", findings: [`threw: ${(error as Error).stack?.slice(0, 800)}`], millis };
  }
  const millis = performance.now() - start;
  const output = [...stdout, ...stderr].join("\n");
  if (STACK_TRACE.test(output)) findings.push(`stack trace in output: ${output.slice(0, 800)}`);
  if (code !== 0) {
    if (!/nothing was synthesized|nothing was written/.test(output))
      findings.push(`rejected without the summary: ${output.slice(0, 300)}`);
    for (const line of stderr.filter((l) => l.startsWith("  - "))) {
      if (!/^ {2}- (\(top level\)|\S[^\n]*?): \S/.test(line))
        findings.push(`problem without a path: ${line.slice(0, 200)}`);
      if (line.length > 1_000) findings.push(`problem line of ${line.length} characters`);
    }
  }
  let coverage: Coverage | undefined;
  if (code === 0) {
    const accounts = expectedAccounts(loadConfig(file));
    const stacksDir = join(outdir, "stacks");
    const stacks = new Map<string, Json>();
    for (const stack of readdirSync(stacksDir)) {
      const json = JSON.parse(readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8"));
      stacks.set(stack, json);
      findings.push(...oracleFindings(stack, json, accounts.get(stack) ?? new Map()));
    }
    // The loader accepted the text: it is UTF-8 JSON, a byte-order mark aside, without duplicate keys.
    const config = JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, ""));
    const reference = referenceFindings(config, stacks, outdir);
    findings.push(...reference.findings.map((f) => `reference: ${f}`));
    coverage = reference.coverage;
  }
  if (millis > 5_000) findings.push(`took ${Math.round(millis)} ms`);
  rmSync(dir, { recursive: true, force: true });
  return { outcome: code === 0 ? "accepted" : "rejected", findings, millis, coverage };
}
