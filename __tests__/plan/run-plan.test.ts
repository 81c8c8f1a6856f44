import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runPlanCommand } from "../../lib/cli/plan-command";
import { deploymentOrder } from "../../lib/plan/run-plan";
import { tempDir } from "../helpers/synth-run";

const firstApply = readFileSync(join(__dirname, "../fixtures/plans/first-apply.json"), "utf8");

async function plan(args: string[], config: string, failOn?: string) {
  const outdir = join(tempDir(), "cdktf.out");
  const summaryFile = join(tempDir(), "summary.md");
  const calls: Array<[string, string]> = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPlanCommand([...args, "--summary-file", summaryFile], {
    env: { CDKTF_OUTDIR: outdir, REPLICATION_CONFIG: join(process.cwd(), config) },
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    run: async (command, commandArgs, cwd) => {
      calls.push([`${command} ${commandArgs.join(" ")}`, cwd.slice(outdir.length + 1)]);
      if (failOn && commandArgs[0] === failOn)
        return { code: 1, stdout: "", stderr: "Error: No valid credential sources found" };
      return { code: 0, stdout: commandArgs[0] === "show" ? firstApply : "", stderr: "" };
    },
  });
  return { code, calls, stdout: stdout.join("\n"), stderr: stderr.join("\n"), summaryFile };
}

describe("npm run plan", () => {
  test("synthesizes, then inits, plans and shows each stack in its own directory", async () => {
    const result = await plan([], "replication.config.json");
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      ["terraform init -input=false -no-color", "stacks/replication-my-app-data-prod"],
      ["terraform plan -input=false -no-color -out=replication.tfplan", "stacks/replication-my-app-data-prod"],
      ["terraform show -json replication.tfplan", "stacks/replication-my-app-data-prod"],
    ]);
    expect(result.stdout).toContain(
      "### replication-my-app-data-prod: 2 to add, 0 to change, 0 to replace, 0 to destroy",
    );
    expect(result.stdout).toContain("```mermaid\nflowchart LR");
  });

  test("writes the same summary to the job summary file", async () => {
    const result = await plan([], "replication.config.json");
    expect(readFileSync(result.summaryFile, "utf8")).toBe(`${result.stdout}\n`);
  });

  test("plans stacks in deployment order, and only those named", async () => {
    const both = await plan([], "examples/two-way.json");
    expect(both.calls.filter(([c]) => c.startsWith("terraform init")).map(([, cwd]) => cwd)).toEqual([
      "stacks/replication-acme-shared-east",
      "stacks/replication-acme-shared-west",
    ]);
    const one = await plan(["replication-acme-shared-west"], "examples/two-way.json");
    expect(new Set(one.calls.map(([, cwd]) => cwd))).toEqual(new Set(["stacks/replication-acme-shared-west"]));
  });

  test("plans a shared destination's stack before every source that replicates into it", async () => {
    const result = await plan([], "examples/central-log-archive.json");
    expect(result.calls.filter(([c]) => c.startsWith("terraform init")).map(([, cwd]) => cwd)).toEqual([
      "stacks/replication-destination-acme-central-log-archive",
      "stacks/replication-acme-analytics-logs",
      "stacks/replication-acme-payments-logs",
      "stacks/replication-acme-search-logs",
    ]);
  });

  test("leaves the state bootstrap stack out unless it is named", async () => {
    const result = await plan([], "examples/new-buckets.json");
    expect(new Set(result.calls.map(([, cwd]) => cwd))).toEqual(new Set(["stacks/replication-acme-new-app-data"]));
  });

  test("applies the saved plan with --apply", async () => {
    const result = await plan(["--apply"], "replication.config.json");
    expect(result.calls.map(([c]) => c)).toContain("terraform apply -input=false -no-color replication.tfplan");
    expect(result.stdout).toContain("## Replication plan (applied)");
  });

  test("exits 1 with Terraform's words when a step fails", async () => {
    const result = await plan([], "replication.config.json", "plan");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "replication-my-app-data-prod: terraform plan failed (exit 1)\nError: No valid credential sources found",
    );
  });

  test("exits 2 for a stack that does not exist", async () => {
    const result = await plan(["replication-nope"], "replication.config.json");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no stack replication-nope: use one of replication-my-app-data-prod");
  });

  test("orders stacks after their dependencies and refuses a cycle", () => {
    const manifest = { stacks: { b: { dependencies: ["a"] }, a: { dependencies: [] }, c: { dependencies: ["b"] } } };
    expect(deploymentOrder(manifest, ["c", "a", "b"])).toEqual(["a", "b", "c"]);
    expect(() =>
      deploymentOrder({ stacks: { a: { dependencies: ["b"] }, b: { dependencies: ["a"] } } }, ["a"]),
    ).toThrow("stacks depend on each other in a cycle: a -> b -> a");
  });
});

describe("npm run stacks", () => {
  test("lists a shared destination's stack before its sources (npm run stacks)", async () => {
    const stdout: string[] = [];
    const code = await runPlanCommand(["--list", "--json"], {
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
    const code = await runPlanCommand(["--list", "--json"], {
      env: {
        CDKTF_OUTDIR: join(tempDir(), "cdktf.out"),
        REPLICATION_CONFIG: join(process.cwd(), "examples/two-way.json"),
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
});
