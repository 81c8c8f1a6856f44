import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSynth, runSynthCommand } from "../../lib/cli/synth";
import { configWith, guideConfig } from "../helpers/config";
import { synthRun, tempDir, tree, writeConfig } from "../helpers/synth-run";

describe("npm run synth", () => {
  test("writes one stack per source bucket and says which", () => {
    const run = synthRun(join(process.cwd(), "examples/pipeline-assume-role.json"));
    expect(run.code).toBe(0);
    expect(readdirSync(join(run.outdir, "stacks")).sort()).toEqual([
      "replication-acme-app-logs-prod",
      "replication-acme-app-uploads-prod",
    ]);
    expect(run.stdout[0]).toMatch(/pipeline-assume-role\.json: wrote 2 stack\(s\) to .*cdktf\.out$/);
    expect(run.stdout).toContainEqual(
      expect.stringMatching(/cdktf\.out\/stacks\/replication-acme-app-logs-prod\/cdk\.tf\.json$/),
    );
    expect(run.stdout).toContainEqual("    acme-app-logs-prod (111122223333) -> acme-app-logs-backup (444455556666)");
  });

  test("uses the embedded default config without REPLICATION_CONFIG", () => {
    const run = synthRun(undefined);
    expect(run.code).toBe(0);
    expect(readdirSync(join(run.outdir, "stacks"))).toEqual(["replication-my-app-data-prod"]);
  });

  test("writes nothing for a bad config, and prints every problem without a stack trace", () => {
    const outdir = join(tempDir(), "cdktf.out");
    const bad = configWith((c) => {
      c.accounts.source.accountId = "123";
      c.replications[0].rules[0].filter = { tags: { a: "b" } };
    });
    const run = synthRun(writeConfig(bad), outdir);
    expect(run.code).toBe(1);
    expect(existsSync(outdir)).toBe(false);
    expect(run.stdout).toEqual([]);
    expect(run.stderr.join("\n")).toMatch(
      /^.*config\.json: 2 problems; nothing was synthesized\.\n {2}- accounts\.source\.accountId: .*\n {2}- replications\[0\]\.rules\[0\]\.deleteMarkerReplication: /,
    );
    expect(run.stderr.join("\n")).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test("leaves a previous synth untouched when the new config is bad", () => {
    const dir = tempDir();
    const outdir = join(dir, "cdktf.out");
    synthRun(writeConfig(guideConfig(), dir), outdir);
    const before = tree(outdir);
    const run = synthRun(writeConfig("{ not json", dir), outdir);
    expect(run.code).toBe(1);
    expect(tree(outdir)).toEqual(before);
  });

  test("removes the stack of a source bucket that left the config, and keeps the others", () => {
    const dir = tempDir();
    const outdir = join(dir, "cdktf.out");
    synthRun(join(process.cwd(), "examples/pipeline-assume-role.json"), outdir);
    mkdirSync(join(outdir, "stacks", "replication-acme-app-uploads-prod", ".terraform"), { recursive: true });
    const kept = JSON.parse(readFileSync(join(process.cwd(), "examples/pipeline-assume-role.json"), "utf8"));
    kept.replications.pop();
    const run = synthRun(writeConfig(kept, dir), outdir);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["replication-acme-app-logs-prod"]);
    expect(run.stdout[0]).toMatch(/^removed .*stacks\/replication-acme-app-uploads-prod: its bucket is no longer in/);
  });

  describe("run by the cdktf CLI (cdktf.json passes --run-by-cdktf)", () => {
    /** The cdktf CLI's own orphan cleanup fails with ENOENT when the app already removed a stale stack. */
    test("leaves a stale stack directory for the CLI to remove, and says so", () => {
      const dir = tempDir();
      const outdir = join(dir, "cdktf.out");
      synthRun(join(process.cwd(), "examples/pipeline-assume-role.json"), outdir);
      const kept = JSON.parse(readFileSync(join(process.cwd(), "examples/pipeline-assume-role.json"), "utf8"));
      kept.replications.pop();
      const stdout: string[] = [];
      const env = { CDKTF_OUTDIR: outdir, REPLICATION_CONFIG: writeConfig(kept, dir) };
      const code = runSynthCommand(["--run-by-cdktf"], {
        env,
        stdout: (l) => stdout.push(l),
        stderr: (l) => stdout.push(l),
      });
      expect(code).toBe(0);
      expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([
        "replication-acme-app-logs-prod",
        "replication-acme-app-uploads-prod",
      ]);
      expect(stdout[0]).toMatch(
        /^.*cdktf\.out\/stacks\/replication-acme-app-uploads-prod: its bucket is no longer in .*config\.json; the cdktf CLI removes it$/,
      );
    });

    test("cdktf.json runs the app with --run-by-cdktf", () => {
      const cdktf = JSON.parse(readFileSync(join(process.cwd(), "cdktf.json"), "utf8"));
      expect(cdktf.app).toBe("npm run --silent build && node --disable-warning=DEP0044 dist/main.js --run-by-cdktf");
    });

    test("names cdk.tf, the file it wrote, under cdktf synth --hcl", () => {
      const previous = process.env.SYNTH_HCL_OUTPUT;
      process.env.SYNTH_HCL_OUTPUT = "true";
      try {
        const run = synthRun(undefined);
        expect(run.stdout).toContainEqual(
          expect.stringMatching(/cdktf\.out\/stacks\/replication-my-app-data-prod\/cdk\.tf$/),
        );
        expect(existsSync(join(run.outdir, "stacks/replication-my-app-data-prod/cdk.tf"))).toBe(true);
        expect(run.stdout.join("\n")).not.toContain("cdk.tf.json");
      } finally {
        if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
        else process.env.SYNTH_HCL_OUTPUT = previous;
      }
    });
  });

  test("refuses an argument it does not know, writing nothing", () => {
    const outdir = join(tempDir(), "cdktf.out");
    const stderr: string[] = [];
    const code = runSynthCommand(["--stack", "x"], {
      env: { CDKTF_OUTDIR: outdir },
      stdout: () => {},
      stderr: (l) => stderr.push(l),
    });
    expect(code).toBe(2);
    expect(stderr.join("\n")).toBe("synth: unknown argument --stack x\nusage: npm run synth [-- --quiet]");
    expect(existsSync(outdir)).toBe(false);
  });

  test("keeps the provider lock file terraform init wrote in a stack directory", () => {
    const first = synthRun(undefined);
    const lock = join(first.outdir, "stacks/replication-my-app-data-prod/.terraform.lock.hcl");
    writeFileSync(lock, "# locked by terraform init\n");
    expect(synthRun(undefined, first.outdir).code).toBe(0);
    expect(readFileSync(lock, "utf8")).toBe("# locked by terraform init\n");
  });

  test("is deterministic: two synths are byte-identical", () => {
    const config = join(process.cwd(), "examples/pipeline-assume-role.json");
    const first = tree(synthRun(config).outdir);
    const second = tree(synthRun(config).outdir);
    expect(Object.keys(first).length).toBeGreaterThan(2);
    expect(second).toEqual(first);
  });

  describe("the replica key-policy statement", () => {
    const kms = join(process.cwd(), "examples/kms.json");
    const KEY = "arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d";

    test("is printed in full on the first synth and kept in the output", () => {
      const run = synthRun(kms);
      const header = run.stdout.findIndex((l) => l.startsWith(`The owner of replica key ${KEY} must add`));
      expect(header).toBeGreaterThan(0);
      expect(run.stdout[header]).toMatch(
        /\(new or changed; also in .*cdktf\.out\/replica-key-policy-statements\.json and output replica_key_policy_statements of replication-acme-payments-prod\):$/,
      );
      expect(run.stdout[header + 1]).toBe("  {");
      const kept = JSON.parse(readFileSync(join(run.outdir, "replica-key-policy-statements.json"), "utf8"));
      expect(kept).toEqual([
        expect.objectContaining({
          stack: "replication-acme-payments-prod",
          keyArn: KEY,
          statement: expect.any(Object),
        }),
      ]);
    });

    test("is one line on the next synth when it did not change", () => {
      const first = synthRun(kms);
      const again = synthRun(kms, first.outdir);
      expect(again.stdout.filter((l) => l.includes(KEY))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^ {2}replica key ${KEY}: its owner adds the statement in .*replica-key-policy-statements\\.json \\(unchanged since the last synth\\)$`,
          ),
        ),
      ]);
      expect(again.stdout.some((l) => l.trim() === "{")).toBe(false);
    });

    test("is not printed when quiet (plan, stacks, --quiet), and still written", () => {
      const outdir = join(tempDir(), "cdktf.out");
      const stdout: string[] = [];
      const code = runSynth({
        env: { CDKTF_OUTDIR: outdir, REPLICATION_CONFIG: kms },
        stdout: (l) => stdout.push(l),
        stderr: (l) => stdout.push(l),
        quiet: true,
      });
      expect(code).toBe(0);
      expect(stdout).toEqual([]);
      expect(existsSync(join(outdir, "replica-key-policy-statements.json"))).toBe(true);
    });

    test("leaves no statements file for a config without existing replica keys", () => {
      const run = synthRun(undefined);
      expect(existsSync(join(run.outdir, "replica-key-policy-statements.json"))).toBe(false);
    });
  });
});
