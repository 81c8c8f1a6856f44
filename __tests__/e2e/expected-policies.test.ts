// Every policy document the stacks write, as `npm run synth` writes it, equals (as IAM reads it) the
// reviewed expected file of its config (expected/<config>/<stack>/): a change to a policy builder
// fails here, offline, until the expected file changes with it, so the pull request shows the new
// grant as a diff of that file. The end-to-end test compares the same files with what AWS holds.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { synthRun, writeConfig } from "../helpers/synth-run";
import { DERIVED_CONFIGS } from "./derived-configs";
import { EXPECTED_DIR, type ExpectedStack, loadExpected } from "./expected";
import { policyDifferences } from "./iam-equivalence";

const ROOT = join(__dirname, "..", "..");
type Resources = Record<string, Record<string, Record<string, any>>>;

function configFile(name: string): string {
  if (name === "replication.config") return join(ROOT, "replication.config.json");
  const derived = DERIVED_CONFIGS[name];
  return derived ? writeConfig(derived()) : join(ROOT, "examples", `${name}.json`);
}

/** Terraform's template escapes undone: what AWS receives. */
function unescaped(text: string): string {
  return text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** The created keys' placeholders of expected files, as the stack's JSON references those keys. */
function withKeyReferences(document: unknown, resources: Resources): unknown {
  const aliases = Object.values(resources.aws_kms_alias ?? {});
  return JSON.parse(JSON.stringify(document), (_key, value) => {
    const match =
      typeof value === "string" ? /^<key behind arn:[^:]+:kms:[^:]+:\d{12}:(alias\/.+)>$/.exec(value) : null;
    const target = match && aliases.find((a) => a.name === match[1])?.target_key_id;
    return target ? target.replace(/\.key_id\}$/, ".arn}") : value;
  });
}

function stackProblems(config: string, stack: string, expected: ExpectedStack, resources: Resources): string[] {
  const problems: string[] = [];
  const where = `${config}/${stack}`;
  const compare = (what: string, document: unknown, text: string | undefined) => {
    if (text === undefined) {
      problems.push(`${where} ${what}: not synthesized`);
      return;
    }
    const differences = policyDifferences(withKeyReferences(document, resources), JSON.parse(unescaped(text)));
    problems.push(...differences.map((d) => `${where} ${what}: ${d}`));
  };
  const roles = Object.values(resources.aws_iam_role ?? {});
  const rolePolicies = Object.values(resources.aws_iam_role_policy ?? {});
  const expectedRoles = expected.roles.map((r) => r.name).sort();
  const synthesizedRoles = roles.map((r) => String(r.name)).sort();
  if (JSON.stringify(expectedRoles) !== JSON.stringify(synthesizedRoles)) {
    problems.push(`${where}: roles ${synthesizedRoles.join(", ")}, expected ${expectedRoles.join(", ")}`);
  }
  for (const role of expected.roles) {
    compare(
      `role ${role.name} trust policy`,
      role.trustPolicy,
      roles.find((r) => r.name === role.name)?.assume_role_policy,
    );
    const names = rolePolicies.filter((p) => p.role === role.name).map((p) => String(p.name));
    const extra = names.filter((n) => !(n in role.inlinePolicies));
    if (extra.length > 0) problems.push(`${where} role ${role.name}: inline policy ${extra.join(", ")} not expected`);
    for (const [name, document] of Object.entries(role.inlinePolicies)) {
      compare(
        `role ${role.name} ${name}`,
        document,
        rolePolicies.find((p) => p.role === role.name && p.name === name)?.policy,
      );
    }
  }
  const bucketPolicies = Object.values(resources.aws_s3_bucket_policy ?? {});
  for (const bucket of expected.buckets.filter((b) => b.policy)) {
    compare(
      `bucket ${bucket.name} policy`,
      bucket.policy,
      bucketPolicies.find((p) => p.bucket === bucket.name)?.policy,
    );
  }
  for (const written of bucketPolicies) {
    if (!expected.buckets.some((b) => b.name === written.bucket && b.policy)) {
      problems.push(`${where}: bucket ${written.bucket} policy not expected`);
    }
  }
  const keys = resources.aws_kms_key ?? {};
  const aliases = Object.values(resources.aws_kms_alias ?? {});
  if (Object.keys(keys).length !== expected.keys.length) {
    problems.push(`${where}: ${Object.keys(keys).length} key(s), expected ${expected.keys.length}`);
  }
  for (const key of expected.keys) {
    const address = aliases
      .find((a) => a.name === key.alias)
      ?.target_key_id?.match(/^\$\{aws_kms_key\.(.+)\.key_id\}$/)?.[1];
    compare(`key behind ${key.alias} policy`, key.policy, address ? keys[address]?.policy : undefined);
  }
  return problems;
}

describe("the synthesized policies equal the reviewed expected files", () => {
  const configs = readdirSync(EXPECTED_DIR).sort();

  it.each(configs)("%s", (config) => {
    const expected = loadExpected(config);
    const run = synthRun(configFile(config));
    expect(run.stderr.filter((l) => /error/i.test(l))).toEqual([]);
    const synthesized = readdirSync(join(run.outdir, "stacks")).sort();
    expect(synthesized).toEqual([...expected.stacks.keys()].sort());
    const problems = synthesized.flatMap((stack) => {
      const json = JSON.parse(readFileSync(join(run.outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      return stackProblems(config, stack, expected.stacks.get(stack) as ExpectedStack, json.resource ?? {});
    });
    expect(problems).toEqual([]);
  });
});
