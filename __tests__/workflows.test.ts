import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = process.cwd();
const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
const workflows = readdirSync(join(root, ".github/workflows")).filter((f) => f.endsWith(".yml"));

type Step = {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
};
type Job = {
  steps: Step[];
  outputs?: Record<string, string>;
  environment?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
};
type Workflow = {
  on: unknown;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
};

const runsOf = (job: Job) => job.steps.filter((s) => s.run).map((s) => s.run);
const usesOf = (job: Job, action: string) => job.steps.find((s) => s.uses?.startsWith(`${action}@`));
const credentialsOf = (job: Job) => usesOf(job, "aws-actions/configure-aws-credentials");

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

const text = (file: string) => readFileSync(join(root, ".github/workflows", file), "utf8");
const load = (file: string): Workflow => parse(text(file));

describe("GitHub workflows", () => {
  test("there is a plan workflow for pull requests, an apply workflow for main and a daily verify workflow", () => {
    expect(workflows.sort()).toEqual(["apply.yml", "plan.yml", "verify.yml"]);
    expect(load("plan.yml").on).toEqual({ pull_request: null });
    expect(load("apply.yml").on).toEqual({ push: { branches: ["main"] } });
    expect(load("verify.yml").on).toEqual({ schedule: [{ cron: "17 6 * * *" }], workflow_dispatch: null });
  });

  test.each(workflows)("%s: every run step calls npm scripts that exist, and nothing else", (file) => {
    const steps = Object.values(load(file).jobs).flatMap((job) => job.steps);
    const runs = steps.filter((s) => s.run !== undefined).map((s) => String(s.run).trim());
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const match = /^npm (ci|test|run ([a-z0-9:-]+)(?: -- .+)?)$/.exec(run);
      expect([run, match !== null]).toEqual([run, true]);
      const script = match?.[2];
      if (script) expect([run, script in scripts]).toEqual([run, true]);
    }
  });

  test.each(workflows)("%s: gets AWS credentials through OIDC, never from secrets", (file) => {
    expect(text(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\./);
    const credentials = Object.values(load(file).jobs).flatMap((job) =>
      job.steps.filter((s) => s === credentialsOf(job)),
    );
    expect(credentials.length).toBeGreaterThan(0);
  });

  describe("pull-request code never holds apply credentials", () => {
    test("plan.yml: the jobs that call AWS assume the plan role, with the plan deployer roles", () => {
      const workflow = load("plan.yml");
      const roles = Object.values(workflow.jobs).flatMap((job) => {
        const step = credentialsOf(job);
        return step ? [step.with?.["role-to-assume"]] : [];
      });
      expect(roles).toEqual(["${{ vars.PLAN_ROLE_ARN }}"]);
      expect(workflow.env?.REPLICATION_ROLE_ARNS).toBe("${{ vars.REPLICATION_PLAN_ROLE_ARNS }}");
      expect(workflow.env?.REPLICATION_BACKEND_ROLE_ARN).toBe("${{ vars.REPLICATION_PLAN_BACKEND_ROLE_ARN }}");
    });

    test("plan.yml names no production environment and no apply role or apply deployer role", () => {
      expect(Object.values(load("plan.yml").jobs).map((job) => job.environment)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(text("plan.yml")).not.toMatch(/APPLY_ROLE_ARN|REPLICATION_APPLY_|PIPELINE_ROLE_ARN|environment:/);
    });

    test("apply.yml: every job that calls AWS assumes the apply role inside the production environment", () => {
      const workflow = load("apply.yml");
      const calling = Object.entries(workflow.jobs).filter(([, job]) => credentialsOf(job));
      expect(
        calling.map(([name, job]) => [name, job.environment, credentialsOf(job)?.with?.["role-to-assume"]]),
      ).toEqual([
        ["plan", "production", "${{ vars.APPLY_ROLE_ARN }}"],
        ["apply", "production", "${{ vars.APPLY_ROLE_ARN }}"],
      ]);
      // The saved plans name the deployer roles: the plan jobs and the apply job synthesize alike.
      expect(workflow.env?.REPLICATION_ROLE_ARNS).toBe("${{ vars.REPLICATION_APPLY_ROLE_ARNS }}");
      expect(workflow.env?.REPLICATION_BACKEND_ROLE_ARN).toBe("${{ vars.REPLICATION_APPLY_BACKEND_ROLE_ARN }}");
      expect(workflow.env?.REPLICATION_SESSION_NAME).toBe("github-apply-${{ github.run_id }}");
      expect(text("apply.yml")).not.toMatch(/PLAN_ROLE_ARN|REPLICATION_PLAN_|PIPELINE_ROLE_ARN/);
    });
  });

  describe("hardening", () => {
    test.each(workflows)(
      "%s: id-token: write only on the jobs that call AWS, issues: write only on the job that files issues, never workflow-wide",
      (file) => {
        const workflow = load(file);
        expect(workflow.permissions).toEqual({ contents: "read" });
        for (const [name, job] of Object.entries(workflow.jobs)) {
          const filesIssues = runsOf(job).some((run) => /^npm run verify:issues\b/.test(String(run)));
          const expected = credentialsOf(job)
            ? { contents: "read", "id-token": "write" }
            : filesIssues
              ? { contents: "read", issues: "write" }
              : undefined;
          expect([name, job.permissions]).toEqual([name, expected]);
          // Never both: a job that holds cloud credentials cannot write issues, and the reverse.
          expect(credentialsOf(job) && filesIssues).toBeFalsy();
        }
      },
    );

    test.each(workflows)("%s: every checkout leaves no credentials behind (persist-credentials: false)", (file) => {
      const checkouts = Object.values(load(file).jobs).flatMap((job) =>
        job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")),
      );
      expect(checkouts.length).toBeGreaterThan(0);
      for (const checkout of checkouts) expect(checkout.with?.["persist-credentials"]).toBe(false);
    });

    test.each(workflows)("%s: every action is pinned to a full commit SHA, its version in a comment", (file) => {
      const lines = text(file)
        .split("\n")
        .filter((l) => /^\s*(-\s+)?uses:/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect([line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line)]).toEqual([line, true]);
      }
    });

    test("one action, one commit and one version across both workflows", () => {
      const pins = new Map<string, Set<string>>();
      for (const file of workflows) {
        for (const [, action, pin] of text(file).matchAll(/uses: ([\w.-]+\/[\w.-]+)@(\S+ # \S+)/g)) {
          pins.set(action, new Set([...(pins.get(action) ?? []), pin]));
        }
      }
      expect([...pins].filter(([, p]) => p.size > 1)).toEqual([]);
    });

    test.each(workflows)("%s: no ${{ }} expression inside a run script: values come through env", (file) => {
      const runs = Object.values(load(file).jobs).flatMap((job) => runsOf(job));
      expect(runs.filter((run) => /\$\{\{/.test(String(run)))).toEqual([]);
    });

    test.each(workflows)("%s: jobs that hold cloud credentials restore no dependency cache", (file) => {
      for (const job of Object.values(load(file).jobs).filter((j) => credentialsOf(j))) {
        expect(usesOf(job, "actions/setup-node")?.with).toEqual({ "node-version": 24, "package-manager-cache": false });
      }
    });
  });

  const planning = ["apply.yml", "plan.yml"];

  test.each(planning)("%s: tests, synthesizes and proves before listing the stacks in groups", (file) => {
    const { jobs } = load(file);
    expect(jobs.check.permissions).toBeUndefined();
    // apply.yml: at most 8 groups, one job output each for the plan hashes.
    expect(runsOf(jobs.check)).toEqual([
      "npm ci",
      "npm test",
      "npm run synth",
      "npm run preflight",
      `npm run stacks -- --shards ${file === "apply.yml" ? 8 : 256}`,
    ]);
  });

  test.each(planning)("%s: plans each group of stacks in its own job, at most 256, with providers cached", (file) => {
    const { plan } = load(file).jobs;
    expect(plan.needs).toBe("check");
    expect(plan.strategy?.matrix).toEqual({ stacks: "${{ fromJSON(needs.check.outputs.shards) }}" });
    expect(plan.env?.REPLICATION_STACKS).toBe("${{ matrix.stacks }}");
    expect(runsOf(plan)).toContain("npm run plan -- $REPLICATION_STACKS");
    expect(usesOf(plan, "actions/cache")?.with).toEqual({
      path: ".terraform/plugin-cache",
      key: "terraform-providers-${{ runner.os }}-${{ hashFiles('package-lock.json') }}",
    });
  });

  test.each(planning)("%s: every job that plans or applies gets the summary redaction switch", (file) => {
    const jobs = Object.entries(load(file).jobs).filter(([, job]) =>
      runsOf(job).some((run) => /^npm run (plan|apply)\b/.test(String(run))),
    );
    expect(jobs.map(([name]) => name)).toEqual(file === "apply.yml" ? ["plan", "apply"] : ["plan"]);
    for (const [, job] of jobs) {
      expect(job.env?.REPLICATION_REDACT_SUMMARY).toBe("${{ vars.REPLICATION_REDACT_SUMMARY }}");
    }
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
      REPLICATION_REVIEWED_PLAN_HASHES: "${{ toJSON(needs.plan.outputs) }}",
    });
  });

  describe("the verify workflow", () => {
    const workflow = load("verify.yml");
    const { verify, issues } = workflow.jobs;

    test("verifies every stack with the canary as the verify role, in the verify environment, with the verify deployer roles", () => {
      expect(Object.keys(workflow.jobs)).toEqual(["verify", "issues"]);
      expect(verify.environment).toBe("verify");
      expect(issues.environment).toBeUndefined();
      expect(credentialsOf(verify)?.with?.["role-to-assume"]).toBe("${{ vars.VERIFY_ROLE_ARN }}");
      expect(workflow.env?.REPLICATION_ROLE_ARNS).toBe("${{ vars.REPLICATION_VERIFY_ROLE_ARNS }}");
      expect(workflow.env?.REPLICATION_BACKEND_ROLE_ARN).toBe("${{ vars.REPLICATION_VERIFY_BACKEND_ROLE_ARN }}");
      expect(text("verify.yml")).not.toMatch(
        /PLAN_ROLE_ARN|APPLY_ROLE_ARN|REPLICATION_PLAN_|REPLICATION_APPLY_|production/,
      );
      expect(runsOf(verify)).toEqual(["npm ci", "npm run verify -- --canary --report-file verify-report.json"]);
      expect(usesOf(verify, "actions/upload-artifact")?.with).toEqual({
        name: "verify-report",
        path: "verify-report.json",
        "if-no-files-found": "error",
        "retention-days": 7,
      });
      expect(verify.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))).toMatchObject({
        if: "${{ !cancelled() }}",
      });
    });

    test("files issues from the report in a job of its own, after verify, whatever its result, with no cloud credentials", () => {
      expect(issues.needs).toBe("verify");
      expect((issues as Job & { if?: string }).if).toBe("${{ !cancelled() }}");
      expect(credentialsOf(issues)).toBeUndefined();
      expect(usesOf(issues, "actions/download-artifact")?.with).toEqual({ name: "verify-report" });
      expect(runsOf(issues)).toEqual(["npm ci", "npm run verify:issues -- verify-report.json"]);
      expect(issues.steps.find((s) => s.run?.startsWith("npm run verify:issues"))?.env).toEqual({
        GH_TOKEN: "${{ github.token }}",
        GH_REPO: "${{ github.repository }}",
      });
      expect(usesOf(issues, "actions/setup-node")?.with).toEqual({
        "node-version": 24,
        "package-manager-cache": false,
      });
    });
  });

  describe("the end-to-end test in the pull-request workflow", () => {
    const { e2e } = load("plan.yml").jobs;

    test("runs as a job of its own, with no cloud credentials", () => {
      expect(e2e.needs).toBeUndefined();
      expect(e2e.permissions).toBeUndefined();
      expect(e2e.environment).toBeUndefined();
      expect(credentialsOf(e2e)).toBeUndefined();
      expect(JSON.stringify(e2e)).not.toMatch(/AWS_|ROLE_ARN/);
    });

    test("with Terraform 1.11.4, Python 3.11 and the emulator's pinned packages, then npm run test:e2e", () => {
      expect(usesOf(e2e, "hashicorp/setup-terraform")?.with).toEqual({
        terraform_version: "1.11.4",
        terraform_wrapper: false,
      });
      expect(usesOf(e2e, "actions/setup-python")?.with).toEqual({ "python-version": "3.11" });
      expect(runsOf(e2e)).toEqual(["npm ci", "npm run e2e:emulator", "npm run test:e2e"]);
      expect(scripts["e2e:emulator"]).toBe(
        "python3 -m pip install --requirement __tests__/e2e/emulator/requirements.txt",
      );
      const requirements = readFileSync(join(root, "__tests__/e2e/emulator/requirements.txt"), "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#"));
      expect(requirements[0]).toBe("moto[server]==5.2.1");
      for (const line of requirements) expect([line, /^[\w.[\]-]+==[\w.]+$/.test(line)]).toEqual([line, true]);
    });

    test("downloads the AWS provider release the stacks pin, so that release is what runs", () => {
      const step = e2e.steps.find((s) => s.run === "npm run test:e2e");
      expect(step?.env).toEqual({
        E2E_PROVIDER_MIRROR: "${{ runner.temp }}/terraform-providers",
        E2E_PROVIDER_DOWNLOAD: "1",
      });
    });
  });

  describe("help/pipelines.md says what the workflows need", () => {
    const help = readFileSync(join(root, "help/pipelines.md"), "utf8");

    test("every repository variable the workflows read is in its table, and no other", () => {
      const read = new Set(workflows.flatMap((file) => [...text(file).matchAll(/vars\.(\w+)/g)].map((m) => m[1])));
      const section = help.slice(help.indexOf("## Repository variables"), help.indexOf("## What job summaries show"));
      const documented = [...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]);
      expect(documented.sort()).toEqual([...read].sort());
    });

    test("its trust policies give the plan role to pull requests, the apply role to production and the verify role to the verify environment only", () => {
      const policies = [...help.matchAll(/```json\n([\s\S]*?)```/g)]
        .map((m) => JSON.parse(m[1]))
        .filter((p) => JSON.stringify(p).includes("sts:AssumeRoleWithWebIdentity"));
      expect(policies.map((p) => p.Statement.map((s: { Condition: unknown }) => s.Condition))).toEqual([
        [
          {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:<org>/<repo>:pull_request",
            },
          },
        ],
        [
          {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:<org>/<repo>:environment:production",
            },
          },
        ],
        [
          {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:<org>/<repo>:environment:verify",
            },
          },
        ],
      ]);
    });
  });

  test("test on Node.js 22 and 24, and plan, apply, verify and the end-to-end test on 24", () => {
    expect(nodeVersions(load("plan.yml"))).toEqual({ check: [22, 24], plan: [24], e2e: [24] });
    expect(nodeVersions(load("apply.yml"))).toEqual({ check: [24], plan: [24], apply: [24] });
    expect(nodeVersions(load("verify.yml"))).toEqual({ verify: [24], issues: [24] });
  });
});
