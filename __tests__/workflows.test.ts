import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = process.cwd();
const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
const workflows = readdirSync(join(root, ".github/workflows")).filter((f) => f.endsWith(".yml"));

type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
  steps: Step[];
  outputs?: Record<string, string>;
  environment?: string;
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown> };
};
type Workflow = {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
};

const runsOf = (job: Job) => job.steps.filter((s) => s.run).map((s) => s.run);
const usesOf = (job: Job, action: string) => job.steps.find((s) => s.uses?.startsWith(`${action}@`));

/** The Node.js version each job of a workflow sets up, with a matrix expanded. */
function nodeVersions(workflow: Workflow): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(workflow.jobs).map(([name, job]) => {
      const setup = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
      const version = setup?.with?.["node-version"];
      const fromMatrix = /^\$\{\{ matrix\.(\w+) \}\}$/.exec(String(version));
      return [name, fromMatrix ? (job.strategy?.matrix?.[fromMatrix[1]] as unknown[]) : [version]];
    }),
  );
}

const load = (file: string): Workflow => parse(readFileSync(join(root, ".github/workflows", file), "utf8"));

describe("GitHub workflows", () => {
  test("there is a plan workflow for pull requests and an apply workflow for main", () => {
    expect(workflows.sort()).toEqual(["apply.yml", "plan.yml"]);
    expect(load("plan.yml").on).toEqual({ pull_request: null });
    expect(load("apply.yml").on).toEqual({ push: { branches: ["main"] } });
  });

  test.each(workflows)("%s: every run step calls npm scripts that exist, and nothing else", (file) => {
    const steps = Object.values(load(file).jobs).flatMap((job) => job.steps);
    const runs = steps.filter((s) => s.run !== undefined).map((s) => String(s.run).trim());
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const match = /^npm (ci|test|run ([a-z:-]+)(?: -- .+)?)$/.exec(run);
      expect([run, match !== null]).toEqual([run, true]);
      const script = match?.[2];
      if (script) expect([run, script in scripts]).toEqual([run, true]);
    }
  });

  test.each(workflows)("%s: gets AWS credentials through OIDC, never from secrets", (file) => {
    const workflow = load(file);
    expect(workflow.permissions).toEqual({ contents: "read", "id-token": "write" });
    const text = readFileSync(join(root, ".github/workflows", file), "utf8");
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\./);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const credentials = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(credentials?.with?.["role-to-assume"]).toBe("${{ vars.PIPELINE_ROLE_ARN }}");
  });

  test.each(workflows)("%s: tests, synthesizes and proves before listing the stacks in groups", (file) => {
    const { jobs } = load(file);
    // apply.yml: at most 8 groups, one job output each for the plan hashes.
    expect(runsOf(jobs.check)).toEqual([
      "npm ci",
      "npm test",
      "npm run synth",
      "npm run preflight",
      `npm run stacks -- --shards ${file === "apply.yml" ? 8 : 256}`,
    ]);
  });

  test.each(workflows)("%s: plans each group of stacks in its own job, at most 256, with providers cached", (file) => {
    const { plan } = load(file).jobs;
    expect(plan.needs).toBe("check");
    expect(plan.strategy?.matrix).toEqual({ stacks: "${{ fromJSON(needs.check.outputs.shards) }}" });
    expect(runsOf(plan)).toContain("npm run plan -- ${{ matrix.stacks }}");
    expect(usesOf(plan, "actions/cache")?.with).toEqual({
      path: ".terraform/plugin-cache",
      key: "terraform-providers-${{ runner.os }}-${{ hashFiles('package-lock.json') }}",
    });
  });

  test("the apply workflow applies the saved plans of this run, after a reviewer of production approves", () => {
    const { plan, apply } = load("apply.yml").jobs;
    const uploaded = usesOf(plan, "actions/upload-artifact")?.with;
    expect(uploaded?.name).toBe("plan-${{ strategy.job-index }}");
    expect(String(uploaded?.path).trim().split("\n")).toEqual([
      "cdktf.out/stacks/*/replication.tfplan",
      "cdktf.out/stacks/*/replication.tfplan.json",
      "cdktf.out/stacks/*/cdk.tf.json",
      "cdktf.out/stacks/*/.terraform.lock.hcl",
    ]);
    expect(uploaded?.["include-hidden-files"]).toBe(true);
    expect(apply.needs).toBe("plan");
    expect(apply.environment).toBe("production");
    expect(usesOf(apply, "actions/download-artifact")?.with).toEqual({
      pattern: "plan-*",
      "merge-multiple": true,
      path: "cdktf.out/stacks",
    });
    expect(runsOf(apply)).toEqual(["npm ci", "npm run apply -- --auto-approve"]);
  });

  test("the plan hashes go from the plan jobs to the apply job through job outputs, not inside the artifact", () => {
    const { plan, apply } = load("apply.yml").jobs;
    expect(plan.steps.find((s) => s.run?.startsWith("npm run plan"))?.id).toBe("plan");
    expect(plan.outputs).toEqual(
      Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [
          `hashes-${i}`,
          `\${{ strategy.job-index == ${i} && steps.plan.outputs.plan-hashes || '' }}`,
        ]),
      ),
    );
    expect(apply.steps.find((s) => s.run === "npm run apply -- --auto-approve")?.env).toEqual({
      REPLICATION_PLAN_HASHES: "${{ toJSON(needs.plan.outputs) }}",
    });
  });

  test("test on Node.js 22 and 24, and plan and apply on 24", () => {
    expect(nodeVersions(load("plan.yml"))).toEqual({ check: [22, 24], plan: [24] });
    expect(nodeVersions(load("apply.yml"))).toEqual({ check: [24], plan: [24], apply: [24] });
  });
});
