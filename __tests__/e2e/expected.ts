/**
 * What each config's stacks must leave in the accounts, as reviewed files written by hand from
 * AWS's documented requirements and the config (never by the project's builders):
 *
 *   expected/<config>/<stack>/stack.json   every resource the stack creates or sets, with every
 *                                          attribute it sets, naming the documents below
 *   expected/<config>/<stack>/<doc>.json   each policy document and the replication configuration
 *
 * A created key's ARN is known only after the apply: a document names it as
 * "<key behind arn:aws:kms:REGION:ACCOUNT:alias/NAME>", resolved through the alias that was read back.
 * How to change these files on purpose: CONTRIBUTING.md, End-to-end test.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const EXPECTED_DIR = join(__dirname, "expected");

export type Document = Record<string, unknown>;

export interface ExpectedRole {
  readonly account: string;
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly description: string;
  readonly permissionsBoundary: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly trustPolicy: Document;
  readonly inlinePolicies: Readonly<Record<string, Document>>;
}

/** What a stack gives a bucket it creates. */
export interface CreatedBucket {
  readonly region: string;
  readonly objectLock: boolean;
  readonly ownership: string;
  readonly publicAccessBlock: Readonly<Record<string, boolean>>;
  /** The default encryption rules' SSE algorithms. */
  readonly encryption: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** A bucket the stack touches: only the fields it sets are present. */
export interface ExpectedBucket {
  readonly account: string;
  readonly name: string;
  readonly versioning?: string;
  readonly policy?: Document;
  readonly replication?: Document;
  readonly created?: CreatedBucket;
}

export interface ExpectedKey {
  readonly account: string;
  readonly region: string;
  readonly alias: string;
  readonly description: string;
  readonly rotation: boolean;
  readonly state: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly policy: Document;
}

export interface ExpectedTopic {
  readonly account: string;
  readonly region: string;
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly subscriptions: ReadonlyArray<{ protocol: string; endpoint: string }>;
}

/** An alarm with every field DescribeAlarms answers (snapshot.ts), plus its account and tags. */
export interface ExpectedAlarm extends Readonly<Record<string, unknown>> {
  readonly account: string;
  readonly region: string;
  readonly name: string;
}

export interface ExpectedStack {
  readonly roles: readonly ExpectedRole[];
  readonly buckets: readonly ExpectedBucket[];
  readonly keys: readonly ExpectedKey[];
  readonly topics: readonly ExpectedTopic[];
  readonly alarms: readonly ExpectedAlarm[];
}

export interface ExpectedConfig {
  readonly name: string;
  /** Stack name -> what it leaves. */
  readonly stacks: ReadonlyMap<string, ExpectedStack>;
}

/** Fields of stack.json that name a document file in the same folder. */
type Raw = Record<string, any>;

/**
 * Reads expected/<config>/. A document named in stack.json but missing, or a file no stack.json
 * names, is an error: a stale file would otherwise be reviewed and never checked.
 */
export function loadExpected(config: string, dir = EXPECTED_DIR): ExpectedConfig {
  const root = join(dir, config);
  if (!existsSync(root)) throw new Error(`no expected documents for ${config}: write ${root}/<stack>/stack.json`);
  const stacks = new Map<string, ExpectedStack>();
  for (const stack of readdirSync(root).sort()) {
    const folder = join(root, stack);
    const used = new Set(["stack.json"]);
    const read = (file: string): Document => {
      used.add(file);
      const path = join(folder, file);
      if (!existsSync(path)) throw new Error(`${config}/${stack}/stack.json names ${file}, which does not exist`);
      return JSON.parse(readFileSync(path, "utf8"));
    };
    const raw: Raw = JSON.parse(readFileSync(join(folder, "stack.json"), "utf8"));
    const document = (file: string | undefined) => (file === undefined ? undefined : read(file));
    stacks.set(stack, {
      roles: (raw.roles ?? []).map((r: Raw) => ({
        ...r,
        trustPolicy: read(r.trustPolicy),
        inlinePolicies: Object.fromEntries(Object.entries(r.inlinePolicies as Raw).map(([n, f]) => [n, read(f)])),
      })),
      buckets: (raw.buckets ?? []).map((b: Raw) => ({
        ...b,
        ...(b.policy ? { policy: document(b.policy) } : {}),
        ...(b.replication ? { replication: document(b.replication) } : {}),
      })),
      keys: (raw.keys ?? []).map((k: Raw) => ({ ...k, policy: read(k.policy) })),
      topics: raw.topics ?? [],
      alarms: raw.alarms ?? [],
    });
    const unused = readdirSync(folder).filter((f) => !used.has(f));
    if (unused.length > 0) throw new Error(`${config}/${stack}: no stack.json names ${unused.join(", ")}`);
  }
  return { name: config, stacks };
}
