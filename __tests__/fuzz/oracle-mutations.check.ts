/**
 * `npm run fuzz:mutations`: the fuzz slice of `npm test` fails when the product is wrong. Each case
 * copies the project to a temporary directory, breaks one line of the product there, and runs the
 * slice (fuzz.test.ts, "a seeded slice") in the copy with Jest: it must fail, and its output must
 * hold the oracle finding that names the damage. The unbroken copy must pass, so that a failure is
 * the mutation's doing. Each case starts Jest once (several seconds), which is why this is a script
 * of its own and not part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

/** What the slice needs of the project; node_modules is linked, not copied. */
const PROJECT = [
  "lib",
  "stacks",
  "__tests__",
  "examples",
  "main.ts",
  "package.json",
  "jest.config.js",
  "tsconfig.json",
];

interface Mutation {
  readonly name: string;
  readonly file: string;
  /** Text that must occur once in `file`; a refactor that moves it must move the mutation too. */
  readonly from: string;
  readonly to: string;
  /** What the slice must say about it. */
  readonly finding: RegExp;
}

const CONFIGURATION = "lib/constructs/replication-configuration.ts";
const RULES = "rule: replication.rules.map((rule) => ruleBlock(rule, replicaKeyArn)),";

const MUTATIONS: readonly Mutation[] = [
  {
    name: "filterBlock drops every prefix (the whole bucket replicates)",
    file: CONFIGURATION,
    from: "export function filterBlock(filter: RuleFilter): S3BucketReplicationConfigurationRuleFilter {\n",
    to: "export function filterBlock(filter: RuleFilter): S3BucketReplicationConfigurationRuleFilter {\n  filter = { ...filter, prefix: undefined };\n",
    finding: /rule \\"[^"\\]*\\": prefix \\"\\", config says \\"/,
  },
  {
    name: "delete-marker replication flipped",
    file: CONFIGURATION,
    from: "deleteMarkerReplication: { status: status(rule.deleteMarkerReplication) },",
    to: "deleteMarkerReplication: { status: status(!rule.deleteMarkerReplication) },",
    finding: /delete-marker replication \\"(Enabled|Disabled)\\", config says/,
  },
  {
    name: "the rule's destination account swapped for the source's",
    file: CONFIGURATION,
    from: RULES,
    to: "rule: replication.rules.map((rule) => ruleBlock({ ...rule, destination: { ...rule.destination, account: replication.source.account } }, replicaKeyArn)),",
    finding: /destination account \\"\d{12}\\", config says \\"\d{12}\\"/,
  },
  {
    // The model also feeds the old oracle's pinned-account check, which therefore agrees with it.
    name: "the destination providers pinned to the source account (in the model)",
    file: "lib/config/model.ts",
    from: "providers.set(d.providerAlias, { alias: d.providerAlias, account: d.account, region: d.region });",
    to: "providers.set(d.providerAlias, { alias: d.providerAlias, account: source.account, region: d.region });",
    finding: /: no provider \{\\"account\\":\\"\d{12}\\"/,
  },
  {
    name: "a rule lost (the last of several)",
    file: CONFIGURATION,
    from: RULES,
    to: "rule: replication.rules.slice(0, Math.max(1, replication.rules.length - 1)).map((rule) => ruleBlock(rule, replicaKeyArn)),",
    finding: /rule \\"[^"\\]*\\" is missing/,
  },
  {
    name: "the replication configuration stops waiting for versioning in its own stack",
    file: "lib/constructs/replication-resources.ts",
    from: "[...versioning, ...rolePolicies, ...bucketPolicies, ...keys, ...sharedSides],",
    to: "[...rolePolicies, ...bucketPolicies, ...keys, ...sharedSides],",
    finding: /the replication configuration does not wait for aws_s3_bucket_versioning\./,
  },
  {
    name: "the per-account layout groups by the destination's account",
    file: "lib/config/stack-units.ts",
    from: "      return accountStackName(r.source.account);\n",
    to: "      return accountStackName(r.rules[0].destination.account);\n",
    finding: /stack replication-account-\S+ is (missing|not in the config)/,
  },
  {
    name: "a loader that refuses every config",
    file: "lib/config/loader.ts",
    from: "if (issues.length > 0) throw new ConfigError(file, issues);",
    to: 'throw new ConfigError(file, [...issues, { path: [], message: "refused" }]);',
    finding: /accepted 0 of 250 configs/,
  },
];

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "replication-mutant-"));
  for (const entry of PROJECT) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** Runs the fuzz slice of `npm test` in `dir`. */
function runSlice(dir: string): { code: number | null; output: string } {
  const env = { ...process.env };
  delete env.JEST_WORKER_ID;
  const run = spawnSync(
    process.execPath,
    [
      "--disable-warning=DEP0044",
      "node_modules/jest/bin/jest.js",
      "__tests__/fuzz/fuzz.test.ts",
      "--testNamePattern",
      "a seeded slice",
      "--ci",
      "--colors=false",
    ],
    { cwd: dir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  return { code: run.status, output: `${run.stdout}\n${run.stderr}` };
}

const TIMEOUT = 300_000;

describe("the fuzz slice fails on a broken product", () => {
  test(
    "the unbroken copy passes",
    () => {
      const dir = copyProject();
      try {
        const run = runSlice(dir);
        expect({ code: run.code, passed: /✓ a seeded slice/.test(run.output) }).toEqual({ code: 0, passed: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );

  test.each(MUTATIONS.map((m) => [m.name, m] as const))(
    "%s",
    (_, mutation) => {
      const dir = copyProject();
      try {
        const file = join(dir, mutation.file);
        const source = readFileSync(file, "utf8");
        expect(source.split(mutation.from).length - 1).toBe(1);
        writeFileSync(file, source.replace(mutation.from, mutation.to));
        const run = runSlice(dir);
        expect(run.code).toBe(1);
        expect(run.output).toMatch(/✕ a seeded slice/);
        const findings = run.output
          .split("\n")
          .filter((line) => mutation.finding.test(line))
          .map((line) => line.trim());
        expect(findings.length).toBeGreaterThan(0);
        // How it failed, for the record: the first finding, and how many of that kind.
        console.log(`${mutation.name}: ${findings.length} findings like ${findings[0]}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
