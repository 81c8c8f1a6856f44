import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketPolicyCommand, GetBucketReplicationCommand } from "@aws-sdk/client-s3";
import { runStacksCommand } from "../../lib/cli/stacks-command";
import { deploymentOrder } from "../../lib/plan/run-plan";
import { PLAN_FILE, PLAN_RECORD_FILE } from "../../lib/plan/saved-plan";
import { planWorkspace } from "../helpers/plan-run";
import { OTHER_TEAM_STATEMENT } from "../helpers/statements";
import { tempDir, writeConfig } from "../helpers/synth-run";

const config = (name: string) => join(process.cwd(), name);
const DEFAULT_STACK = "replication-my-app-data-prod";

const otherTeamStatement = OTHER_TEAM_STATEMENT;

describe("npm run plan", () => {
  test("synthesizes, then inits, plans and shows each stack in its own directory", async () => {
    const ws = planWorkspace(config("replication.config.json"));
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(ws.terraform.calls).toEqual([
      ["terraform init -input=false -no-color", `stacks/${DEFAULT_STACK}`],
      ["terraform plan -input=false -no-color -detailed-exitcode -out=replication.tfplan", `stacks/${DEFAULT_STACK}`],
      ["terraform show -json replication.tfplan", `stacks/${DEFAULT_STACK}`],
    ]);
    expect(result.stdout).toContain(`### ${DEFAULT_STACK}: 2 to add, 0 to change, 0 to replace, 0 to destroy`);
    expect(result.stdout).toContain("```mermaid\nflowchart LR");
    expect(result.stderr).toContain("plan: saved 1 plan(s): review the summary, then `npm run apply`");
  });

  test("saves, beside the plan, the hashes and the summary apply checks and shows", async () => {
    const ws = planWorkspace(config("replication.config.json"));
    await ws.command([]);
    const record = JSON.parse(readFileSync(join(ws.outdir, "stacks", DEFAULT_STACK, PLAN_RECORD_FILE), "utf8"));
    expect(record.stack).toBe(DEFAULT_STACK);
    expect(record.synthSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.planSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.summary).toContain(`### ${DEFAULT_STACK}: 2 to add`);
  });

  test("writes the same summary to the job summary file", async () => {
    const ws = planWorkspace(config("replication.config.json"));
    const result = await ws.command([]);
    expect(readFileSync(ws.summaryFile, "utf8")).toBe(`${result.stdout}\n`);
  });

  test("plans stacks in deployment order, and only those named", async () => {
    const both = planWorkspace(config("examples/two-way.json"));
    await both.command(["--concurrency", "1"]);
    expect(both.terraform.calls.filter(([c]) => c.startsWith("terraform init")).map(([, cwd]) => cwd)).toEqual([
      "stacks/replication-acme-shared-east",
      "stacks/replication-acme-shared-west",
    ]);
    const one = planWorkspace(config("examples/two-way.json"));
    await one.command(["replication-acme-shared-west"]);
    expect(new Set(one.terraform.calls.map(([, cwd]) => cwd))).toEqual(
      new Set(["stacks/replication-acme-shared-west"]),
    );
  });

  test("plans a shared destination's stack before every source that replicates into it", async () => {
    const ws = planWorkspace(config("examples/central-log-archive.json"));
    await ws.command(["--concurrency", "1"]);
    expect(ws.terraform.calls.filter(([c]) => c.startsWith("terraform init")).map(([, cwd]) => cwd)).toEqual([
      "stacks/replication-destination-acme-central-log-archive",
      "stacks/replication-acme-analytics-logs",
      "stacks/replication-acme-payments-logs",
      "stacks/replication-acme-search-logs",
    ]);
  });

  test("leaves the state bootstrap stack out unless it is named", async () => {
    const ws = planWorkspace(config("examples/new-buckets.json"));
    await ws.command([]);
    expect(new Set(ws.terraform.calls.map(([, cwd]) => cwd))).toEqual(
      new Set(["stacks/replication-acme-new-app-data"]),
    );
  });

  test("exits 1 with Terraform's words when a step fails, and leaves no plan to apply", async () => {
    const ws = planWorkspace(config("replication.config.json"));
    await ws.command([]);
    ws.terraform.failOn = { subcommand: "plan", stderr: "Error: No valid credential sources found" };
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${DEFAULT_STACK}: terraform plan failed (exit 1)\nError: No valid credential sources found`,
    );
    expect(result.stdout).toContain(`### ${DEFAULT_STACK}: failed`);
    expect(existsSync(join(ws.outdir, "stacks", DEFAULT_STACK, PLAN_FILE))).toBe(false);
    expect(existsSync(join(ws.outdir, "stacks", DEFAULT_STACK, PLAN_RECORD_FILE))).toBe(false);
  });

  test("exits 2 for a stack that does not exist", async () => {
    const result = await planWorkspace(config("replication.config.json")).command(["replication-nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no stack replication-nope: use one of ${DEFAULT_STACK}`);
  });

  test("exits 2 for a concurrency that is not a positive whole number", async () => {
    const result = await planWorkspace(config("replication.config.json")).command(["--concurrency", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "error: option '--concurrency <n>' argument '0' is invalid. use a whole number, 1 or more",
    );
  });

  test("orders stacks after their dependencies and refuses a cycle", () => {
    const manifest = { stacks: { b: { dependencies: ["a"] }, a: { dependencies: [] }, c: { dependencies: ["b"] } } };
    expect(deploymentOrder(manifest, ["c", "a", "b"])).toEqual(["a", "b", "c"]);
    expect(() =>
      deploymentOrder({ stacks: { a: { dependencies: ["b"] }, b: { dependencies: ["a"] } } }, ["a"]),
    ).toThrow("stacks depend on each other in a cycle: a -> b -> a");
  });
});

describe("npm run plan: existing buckets", () => {
  const withPolicy = (ws: ReturnType<typeof planWorkspace>) => {
    ws.aws
      .account("444455556666")
      .s3.on(GetBucketPolicyCommand)
      .resolves({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: [otherTeamStatement] }) });
  };

  test("refuses a stack whose apply would remove a statement of the destination's policy, and plans nothing", async () => {
    const ws = planWorkspace(config("replication.config.json"));
    withPolicy(ws);
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(ws.terraform.calls).toEqual([]);
    expect(result.stdout).toContain(`### ${DEFAULT_STACK}: refused, not planned`);
    expect(result.stdout).toContain(
      `> **REFUSED: \`${DEFAULT_STACK}\`: the apply would remove 1 statement(s) from the bucket policy of \`my-app-data-backup\` (Sid \`OtherTeamRead\`). Keep them: \`npm run adopt -- ${DEFAULT_STACK}\` copies them into \`replications[0].destinationPolicies.my-app-data-backup.additionalStatements\`; or set \`replications[0].destinationPolicies.my-app-data-backup.replaceExistingStatements\` to true if removing them is intended (or plan with --replace-existing).**`,
    );
    expect(result.stdout).toContain("- bucket policy of `my-app-data-backup`: statement Sid `OtherTeamRead`");
    expect(result.stdout).toContain('    "Sid": "OtherTeamRead",');
    expect(result.stderr).toContain(`plan: saved 0 plan(s); 1 stack(s) not planned: ${DEFAULT_STACK}`);
  });

  test("plans, listing what goes, when the config says replacing the policy is intended", async () => {
    const raw = JSON.parse(readFileSync(config("replication.config.json"), "utf8"));
    raw.$schema = undefined;
    raw.replications[0].destinationPolicies = { "my-app-data-backup": { replaceExistingStatements: true } };
    const ws = planWorkspace(writeConfig(raw));
    withPolicy(ws);
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("REFUSED");
    expect(result.stdout).toContain("**The apply removes or rewrites on existing buckets:**");
    expect(result.stdout).toContain("- bucket policy of `my-app-data-backup`: statement Sid `OtherTeamRead`");
  });

  test("plans with --replace-existing, listing what goes", async () => {
    const ws = planWorkspace(config("replication.config.json"));
    withPolicy(ws);
    const result = await ws.command(["--replace-existing"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("- bucket policy of `my-app-data-backup`: statement Sid `OtherTeamRead`");
  });

  test("plans without a word when the statements are already in additionalStatements", async () => {
    const raw = JSON.parse(readFileSync(config("replication.config.json"), "utf8"));
    raw.$schema = undefined;
    raw.replications[0].destinationPolicies = {
      "my-app-data-backup": { additionalStatements: [{ ...otherTeamStatement, Action: ["s3:GetObject"] }] },
    };
    const ws = planWorkspace(writeConfig(raw));
    withPolicy(ws);
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("The apply removes");
  });

  test("refuses a stack whose apply would remove another team's replication rule", async () => {
    const ws = planWorkspace(config("replication.config.json"));
    ws.aws
      .account("111122223333")
      .s3.on(GetBucketReplicationCommand)
      .resolves({
        ReplicationConfiguration: {
          Role: "arn:aws:iam::111122223333:role/other-team",
          Rules: [{ ID: "analytics-copy", Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::analytics" } }],
        },
      });
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `> **REFUSED: \`${DEFAULT_STACK}\`: the apply would remove 1 replication rule(s) that \`my-app-data-prod\` has and the config does not (id \`analytics-copy\`). Add them to \`replications[0].rules\`, or set \`replications[0].replaceExistingRules\` to true if removing them is intended (or plan with --replace-existing).**`,
    );
    expect(result.stdout).toContain("- replication configuration of `my-app-data-prod`: rule `analytics-copy`");
  });
});

describe("npm run stacks", () => {
  test("lists a shared destination's stack before its sources (npm run stacks)", async () => {
    const stdout: string[] = [];
    const code = await runStacksCommand(["--json"], {
      env: {
        CDKTF_OUTDIR: join(tempDir(), "cdktf.out"),
        REPLICATION_CONFIG: join(process.cwd(), "examples/central-log-archive.json"),
      },
      stdout: (t) => stdout.push(t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout[0])).toEqual([
      "replication-destination-acme-central-log-archive",
      "replication-acme-analytics-logs",
      "replication-acme-payments-logs",
      "replication-acme-search-logs",
    ]);
  });

  test("prints the stacks to plan in deployment order and hands them to a job matrix", async () => {
    const output = join(tempDir(), "github-output");
    const stdout: string[] = [];
    const code = await runStacksCommand(["--json"], {
      env: {
        CDKTF_OUTDIR: join(tempDir(), "cdktf.out"),
        REPLICATION_CONFIG: config("examples/two-way.json"),
        GITHUB_OUTPUT: output,
      },
      stdout: (t) => stdout.push(t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(stdout).toEqual(['["replication-acme-shared-east","replication-acme-shared-west"]']);
    expect(readFileSync(output, "utf8")).toBe(
      'stacks=["replication-acme-shared-east","replication-acme-shared-west"]\n',
    );
  });

  test("groups the stacks into at most --shards jobs, each a space-separated list", async () => {
    const output = join(tempDir(), "github-output");
    const stdout: string[] = [];
    const code = await runStacksCommand(["--shards", "1"], {
      env: {
        CDKTF_OUTDIR: join(tempDir(), "cdktf.out"),
        REPLICATION_CONFIG: config("examples/two-way.json"),
        GITHUB_OUTPUT: output,
      },
      stdout: (t) => stdout.push(t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(stdout).toEqual(['["replication-acme-shared-east replication-acme-shared-west"]']);
    expect(readFileSync(output, "utf8")).toBe('shards=["replication-acme-shared-east replication-acme-shared-west"]\n');
  });
});

describe("npm run stacks at scale", () => {
  test("puts 300 source buckets into 256 jobs, every stack planned once", async () => {
    const raw = JSON.parse(readFileSync(config("replication.config.json"), "utf8"));
    raw.$schema = undefined;
    const template = raw.replications[0];
    raw.replications = Array.from({ length: 300 }, (_, i) => ({
      source: { ...template.source, bucket: `app-data-${i}` },
      rules: [{ ...template.rules[0], destination: { ...template.rules[0].destination, bucket: `app-backup-${i}` } }],
    }));
    const stdout: string[] = [];
    const code = await runStacksCommand(["--shards", "256"], {
      env: { CDKTF_OUTDIR: join(tempDir(), "cdktf.out"), REPLICATION_CONFIG: writeConfig(raw) },
      stdout: (t) => stdout.push(t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    const shards: string[] = JSON.parse(stdout[0]);
    expect(shards).toHaveLength(256);
    const stacks = shards.flatMap((s) => s.split(" "));
    expect(new Set(stacks).size).toBe(300);
    expect(stacks).toContain("replication-app-data-299");
  });
});

describe("npm run plan: a shared destination", () => {
  /** The central log archive, with the archive bucket existing instead of created. */
  const existingArchive = () => {
    const raw = JSON.parse(readFileSync(config("examples/central-log-archive.json"), "utf8"));
    raw.$schema = undefined;
    for (const r of raw.replications) for (const rule of r.rules) rule.destination.create = false;
    return writeConfig(raw);
  };
  const archivePolicy = (ws: ReturnType<typeof planWorkspace>) =>
    ws.aws
      .account("999988887777")
      .s3.on(GetBucketPolicyCommand)
      .resolves({
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ ...otherTeamStatement, Resource: "arn:aws:s3:::acme-central-log-archive/*" }],
        }),
      });

  test("refuses the destination stack, which writes the shared policy, and plans the sources", async () => {
    const ws = planWorkspace(existingArchive());
    archivePolicy(ws);
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "> **REFUSED: `replication-destination-acme-central-log-archive`: the apply would remove 1 statement(s) from the bucket policy of `acme-central-log-archive` (Sid `OtherTeamRead`). Keep them: `npm run adopt -- replication-destination-acme-central-log-archive` copies them into `sharedDestinations.acme-central-log-archive.additionalStatements`; or set `sharedDestinations.acme-central-log-archive.replaceExistingStatements` to true if removing them is intended (or plan with --replace-existing).**",
    );
    expect(result.stderr).toContain(
      "plan: saved 3 plan(s); 1 stack(s) not planned: replication-destination-acme-central-log-archive",
    );
  });

  test("adopt keeps the statement in sharedDestinations, and the plan then goes ahead", async () => {
    const file = existingArchive();
    const ws = planWorkspace(file);
    archivePolicy(ws);
    const adopted = await ws.adopt([]);
    expect(adopted.stdout).toContain(`${file}: kept Sid OtherTeamRead of acme-central-log-archive's bucket policy`);
    expect(
      JSON.parse(readFileSync(file, "utf8")).sharedDestinations["acme-central-log-archive"].additionalStatements,
    ).toEqual([{ ...otherTeamStatement, Resource: "arn:aws:s3:::acme-central-log-archive/*" }]);
    expect((await ws.command([])).code).toBe(0);
  });
});
