/**
 * Property-based tests over the config loader: random and mutated configs never end in a stack
 * trace. Each is either rejected with path-named problems, or synthesizes stacks that pass
 * preflight.
 */
import fc from "fast-check";
import { ConfigError } from "../../lib/config/config-error";
import { validateConfig } from "../../lib/config/loader";
import { STORAGE_CLASSES } from "../../lib/config/schema";
import { exampleConfig, guideConfig } from "../helpers/config";
import { failures, preflightStacks, synthesizedStacks } from "../helpers/preflight";

type Outcome = { kind: "valid" } | { kind: "rejected"; lines: string[] };

/** Validates, turning only ConfigError into a rejection: any other exception fails the property. */
function outcome(value: unknown): Outcome {
  try {
    validateConfig(value, "generated.json");
    return { kind: "valid" };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    return { kind: "rejected", lines: error.message.split("\n").slice(1) };
  }
}

function expectPathNamed(lines: string[]): void {
  for (const line of lines) expect(line).toMatch(/^ {2}- (\(top level\)|[^\s:][^\n]*?): \S/);
}

/** Every path to a value inside `value`, objects and arrays alike. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

type Mutation = { kind: "set"; value: unknown } | { kind: "delete" } | { kind: "add"; key: string; value: unknown };

function apply(base: unknown, path: Array<string | number>, mutation: Mutation): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  if (path.length === 0) return mutation.kind === "set" ? mutation.value : copy;
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const key = path[path.length - 1];
  if (mutation.kind === "set") parent[key] = mutation.value;
  else if (mutation.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (parent[key] && typeof parent[key] === "object" && !Array.isArray(parent[key])) {
    parent[key][mutation.key] = mutation.value;
  }
  return copy;
}

const bases = [guideConfig(), exampleConfig("kms"), exampleConfig("two-way"), exampleConfig("new-buckets")];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant("delete" as const) }),
  fc.record({
    kind: fc.constant("add" as const),
    key: fc.string({ maxLength: 12 }),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
);

describe("config loader properties", () => {
  test("a mutated config is accepted or rejected with path-named problems, never a stack trace", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (base, pick, mutations) => {
          let value: unknown = base;
          for (const m of mutations) {
            const all = paths(value);
            value = apply(value, all[pick % all.length], m);
          }
          const result = outcome(value);
          if (result.kind === "rejected") expectPathNamed(result.lines);
        },
      ),
      { numRuns: 1500 },
    );
  });

  test("arbitrary JSON values are rejected with path-named problems", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        const result = outcome(value);
        expect(result.kind).toBe("rejected");
        if (result.kind === "rejected") expectPathNamed(result.lines);
      }),
      { numRuns: 300 },
    );
  });

  const prefix = fc.constantFrom(undefined, "", "logs/", "logs/app/", "images/", "a*b?/");
  const tags = fc.option(
    fc.dictionary(fc.constantFrom("team", "replicate", "tier"), fc.constantFrom("a", "true", "")),
    {
      nil: undefined,
    },
  );
  // Settings belong to a bucket, not to a rule: every rule into one bucket describes it alike.
  const bucket = fc.record({
    account: fc.constantFrom("backup", "archive"),
    region: fc.constantFrom(undefined, "eu-west-1"),
    create: fc.boolean(),
    kms: fc.constantFrom("none", "existing", "create"),
    storageClass: fc.option(fc.constantFrom(...STORAGE_CLASSES), { nil: undefined }),
  });
  const rule = fc.record({
    prefix,
    tags,
    deleteMarkerReplication: fc.boolean(),
    replicaOwner: fc.constantFrom("destination", "destination", "source"),
    destination: fc.nat({ max: 2 }),
    rtc: fc.boolean(),
    enabled: fc.boolean(),
  });
  const generatedConfig = fc
    .record({
      buckets: fc.tuple(bucket, bucket, bucket),
      rules: fc.array(rule, { minLength: 1, maxLength: 4 }),
      monitoring: fc.boolean(),
      restrictTrust: fc.boolean(),
      sourceCreate: fc.boolean(),
    })
    .map(({ buckets, rules, monitoring, restrictTrust, sourceCreate }) => {
      const anyKms = rules.some((r) => buckets[r.destination].kms !== "none");
      return {
        backend: { type: "local" },
        accounts: {
          prod: { accountId: "111122223333", region: "us-east-1", credentials: { profile: "prod" } },
          backup: { accountId: "444455556666", region: "us-west-2", credentials: { profile: "backup" } },
          archive: {
            accountId: "777788889999",
            region: "us-west-2",
            credentials: { roleArn: "arn:aws:iam::777788889999:role/deployer" },
          },
        },
        replications: [
          {
            source: {
              account: "prod",
              bucket: "source-bucket",
              create: sourceCreate,
              ...(anyKms ? { sseKmsKeyArns: ["arn:aws:kms:us-east-1:111122223333:key/source-key"] } : {}),
            },
            role: { restrictTrustToSourceBucket: restrictTrust },
            ...(monitoring ? { monitoring: {} } : {}),
            rules: rules.map((r, i) => {
              const b = buckets[r.destination];
              const region = b.region ?? "us-west-2";
              const account = b.account === "backup" ? "444455556666" : "777788889999";
              return {
                id: `rule-${i}`,
                priority: i + 1,
                enabled: r.enabled,
                filter: { prefix: r.prefix, tags: r.tags },
                deleteMarkerReplication: r.deleteMarkerReplication && !r.tags,
                replicaOwner: r.replicaOwner,
                ...(r.rtc ? { replicationTime: { minutes: 15 } } : {}),
                ...(b.kms !== "none" ? { replicateSseKms: true } : {}),
                destination: {
                  account: b.account,
                  bucket: ["alpha-backup", "beta-backup", "gamma-backup"][r.destination],
                  region: b.region,
                  create: b.create,
                  storageClass: b.storageClass,
                  ...(b.kms === "existing"
                    ? { replicaKms: { keyArn: `arn:aws:kms:${region}:${account}:key/replica` } }
                    : {}),
                  ...(b.kms === "create" ? { replicaKms: { create: true } } : {}),
                },
              };
            }),
          },
        ],
      };
    });

  test("a generated config is rejected with path-named problems, or its stacks pass preflight", async () => {
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(generatedConfig, async (config) => {
        const result = outcome(JSON.parse(JSON.stringify(config)));
        if (result.kind === "rejected") {
          expectPathNamed(result.lines);
          return;
        }
        valid++;
        const report = await preflightStacks(synthesizedStacks(config));
        expect(failures(report)).toEqual([]);
      }),
      { numRuns: 80 },
    );
    // The generator must reach the interesting half: configs that synthesize.
    expect(valid).toBeGreaterThan(30);
  });
});
