/**
 * The apply is bound to the reviewed configuration: Terraform applies the configuration inside
 * the saved plan file, so that configuration (and its lock file) must be the fresh synth's, and
 * in a pipeline the plan job's hashes, passed through job outputs, must match the artifact.
 * The attack of issue 20: a plan made from another configuration, next to a record whose hashes
 * were recomputed to match it.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { PLAN_FILE, PLAN_RECORD_FILE } from "../../lib/plan/saved-plan";
import { planArchive, planWorkspace } from "../helpers/plan-run";

const DEFAULT_STACK = "replication-my-app-data-prod";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function planned() {
  const ws = planWorkspace(join(process.cwd(), "replication.config.json"));
  expect((await ws.command([])).code).toBe(0);
  ws.terraform.calls.length = 0;
  return ws;
}

/** Replaces the saved plan with `plan` and recomputes the record's hash of it, as an attacker would. */
function swapPlan(ws: Awaited<ReturnType<typeof planned>>, plan: Uint8Array): void {
  const dir = ws.stackDir(DEFAULT_STACK);
  writeFileSync(join(dir, PLAN_FILE), plan);
  const record = JSON.parse(readFileSync(join(dir, PLAN_RECORD_FILE), "utf8"));
  writeFileSync(join(dir, PLAN_RECORD_FILE), JSON.stringify({ ...record, planSha256: sha256(plan) }, null, 2));
}

/** A plan archive whose root module holds `files` (name -> text), with the stack's lock file. */
function archiveOf(ws: Awaited<ReturnType<typeof planned>>, files: Record<string, string>, lock?: string): Uint8Array {
  const dir = ws.stackDir(DEFAULT_STACK);
  const entries: Record<string, Uint8Array> = { tfplan: Buffer.from("plan") };
  for (const [name, text] of Object.entries(files)) entries[`tfconfig/m-/${name}`] = Buffer.from(text);
  entries[".terraform.lock.hcl"] =
    lock === undefined ? readFileSync(join(dir, ".terraform.lock.hcl")) : Buffer.from(lock);
  return zipSync(entries);
}

const applyCalls = (ws: Awaited<ReturnType<typeof planned>>) =>
  ws.terraform.calls.filter(([c]) => c.startsWith("terraform apply"));

describe("npm run apply: the plan file's own configuration", () => {
  test("refuses a plan made from another configuration, next to a record with recomputed hashes, and applies nothing", async () => {
    const ws = await planned();
    const synthesized = readFileSync(join(ws.stackDir(DEFAULT_STACK), "cdk.tf.json"), "utf8");
    const other = synthesized.replace(
      /arn:aws:iam::111122223333:role\/S3CrossAccountReplicationRole/g,
      "arn:aws:iam::999988887777:role/attacker",
    );
    expect(other).not.toBe(synthesized);
    swapPlan(ws, archiveOf(ws, { "cdk.tf.json": other }));
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `apply: nothing applied:\n  ${DEFAULT_STACK}: replication.tfplan was planned from another configuration than this config synthesizes (its cdk.tf.json differs): run \`npm run plan\` again and review it`,
    );
    expect(ws.terraform.calls).toEqual([]);
  });

  test.each([
    ["a file that is not a plan archive at all", () => Buffer.from("not a zip")],
    [
      "a zip that holds no plan",
      (ws: Awaited<ReturnType<typeof planned>>) =>
        zipSync({ "tfconfig/m-/cdk.tf.json": readFileSync(join(ws.stackDir(DEFAULT_STACK), "cdk.tf.json")) }),
    ],
  ])("refuses %s", async (_, planOf) => {
    const ws = await planned();
    swapPlan(ws, planOf(ws));
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${DEFAULT_STACK}: replication.tfplan is not a Terraform plan file`);
    expect(ws.terraform.calls).toEqual([]);
  });

  test("refuses a plan holding a module the synthesized stacks do not have", async () => {
    const ws = await planned();
    const synthesized = readFileSync(join(ws.stackDir(DEFAULT_STACK), "cdk.tf.json"), "utf8");
    const plan = archiveOf(ws, { "cdk.tf.json": synthesized });
    swapPlan(ws, zipSync({ ...unzipSync(plan), "tfconfig/m-extra/main.tf.json": Buffer.from('{"resource":{}}') }));
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `apply: nothing applied:\n  ${DEFAULT_STACK}: replication.tfplan holds modules the synthesized stacks do not have: run \`npm run plan\` again`,
    );
    expect(ws.terraform.calls).toEqual([]);
  });

  test("refuses a plan holding a configuration file besides the synth and override files", async () => {
    const ws = await planned();
    const synthesized = readFileSync(join(ws.stackDir(DEFAULT_STACK), "cdk.tf.json"), "utf8");
    swapPlan(ws, archiveOf(ws, { "cdk.tf.json": synthesized, "extra.tf.json": '{"resource":{}}' }));
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${DEFAULT_STACK}: replication.tfplan holds configuration file extra.tf.json, which is not an override file`,
    );
    expect(applyCalls(ws)).toEqual([]);
  });

  test("accepts an override file that is beside the plan unchanged, and names it before asking", async () => {
    const ws = planWorkspace(join(process.cwd(), "replication.config.json"));
    await ws.command([]);
    const dir = ws.stackDir(DEFAULT_STACK);
    writeFileSync(join(dir, "zz_provider_override.tf.json"), '{"terraform":{}}');
    expect((await ws.command([])).code).toBe(0);
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`- ${DEFAULT_STACK}: planned with zz\\_provider\\_override.tf.json`);
  });

  test("refuses an override file in the plan that is no longer beside it as it was", async () => {
    const ws = planWorkspace(join(process.cwd(), "replication.config.json"));
    await ws.command([]);
    const dir = ws.stackDir(DEFAULT_STACK);
    writeFileSync(join(dir, "zz_provider_override.tf.json"), '{"terraform":{}}');
    expect((await ws.command([])).code).toBe(0);
    writeFileSync(join(dir, "zz_provider_override.tf.json"), '{"terraform":{"changed":true}}');
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${DEFAULT_STACK}: replication.tfplan holds configuration file zz_provider_override.tf.json, which is not beside it unchanged`,
    );
  });
});

describe("npm run apply: the plan file's own changes", () => {
  test("refuses a plan from the same configuration that makes other changes (another mode or state), before anything is applied", async () => {
    const ws = await planned();
    // What `terraform show -json` now reads from the plan file: a plan made with -destroy, say.
    ws.terraform.shows = ws.fixture("replace-and-destroy.json");
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `apply: nothing applied:\n  ${DEFAULT_STACK}: replication.tfplan makes other changes than the plan the reviewed summary was made from: run \`npm run plan\` again and review it`,
    );
    expect(applyCalls(ws)).toEqual([]);
  });
});

describe("npm run apply: the lock file", () => {
  test("refuses a plan made with another lock file than the one beside it", async () => {
    const ws = await planned();
    const synthesized = readFileSync(join(ws.stackDir(DEFAULT_STACK), "cdk.tf.json"), "utf8");
    swapPlan(ws, archiveOf(ws, { "cdk.tf.json": synthesized }, "# another provider selection"));
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${DEFAULT_STACK}: replication.tfplan was planned with another provider lock file than .terraform.lock.hcl beside it`,
    );
    expect(ws.terraform.calls).toEqual([]);
  });

  test("refuses when the lock file beside the plan was changed after it", async () => {
    const ws = await planned();
    writeFileSync(join(ws.stackDir(DEFAULT_STACK), ".terraform.lock.hcl"), "# changed since the plan");
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("was planned with another provider lock file than .terraform.lock.hcl beside it");
  });
});

describe("npm run apply: the plan job's hashes", () => {
  const hashesOf = (ws: Awaited<ReturnType<typeof planned>>) => {
    const line = readFileSync(ws.githubOutput, "utf8")
      .trim()
      .split("\n")
      .find((l) => l.startsWith("plan-hashes="));
    return (line ?? "").slice("plan-hashes=".length);
  };

  test("npm run plan hands them on as the plan-hashes output: plan, lock and record of each stack", async () => {
    const ws = await planned();
    const dir = ws.stackDir(DEFAULT_STACK);
    expect(JSON.parse(hashesOf(ws))).toEqual({
      [DEFAULT_STACK]: {
        plan: sha256(readFileSync(join(dir, PLAN_FILE))),
        lock: sha256(readFileSync(join(dir, ".terraform.lock.hcl"))),
        record: sha256(readFileSync(join(dir, PLAN_RECORD_FILE))),
      },
    });
  });

  test("applies when the artifact is the one the plan job made, as one output or one per plan job", async () => {
    const ws = await planned();
    expect((await ws.apply(["--auto-approve"], { env: { REPLICATION_REVIEWED_PLAN_HASHES: hashesOf(ws) } })).code).toBe(
      0,
    );
    const again = await planned();
    const perJob = JSON.stringify({ "hashes-0": hashesOf(again), "hashes-1": "" });
    expect((await again.apply(["--auto-approve", "--plan-hashes", perJob])).code).toBe(0);
  });

  test("refuses a swapped artifact even when its record and configuration agree with each other", async () => {
    const ws = await planned();
    const expected = hashesOf(ws);
    const dir = ws.stackDir(DEFAULT_STACK);
    // Planned again from the same config: a valid plan, but not the one the plan job made.
    swapPlan(ws, planArchive(dir, "another run's plan"));
    const result = await ws.apply(["--auto-approve"], { env: { REPLICATION_REVIEWED_PLAN_HASHES: expected } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `apply: nothing applied:\n  ${DEFAULT_STACK}: the replication.tfplan, replication.tfplan.json here are not the ones the plan job made (REPLICATION_REVIEWED_PLAN_HASHES): nothing from this artifact is applied`,
    );
    expect(ws.terraform.calls).toEqual([]);
  });

  test("refuses a stack the plan job's hashes do not name, and hashes that are not JSON", async () => {
    const ws = await planned();
    const missing = await ws.apply(["--auto-approve"], { env: { REPLICATION_REVIEWED_PLAN_HASHES: "{}" } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${DEFAULT_STACK}: the plan job's hashes (REPLICATION_REVIEWED_PLAN_HASHES) name no plan of this stack: nothing is applied`,
    );
    const garbled = await ws.apply(["--auto-approve", "--plan-hashes", "plan-hashes"]);
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain(
      "apply: nothing applied: the plan job's hashes (--plan-hashes or REPLICATION_REVIEWED_PLAN_HASHES) are not what npm run plan writes",
    );
    expect(ws.terraform.calls).toEqual([]);
  });
});
