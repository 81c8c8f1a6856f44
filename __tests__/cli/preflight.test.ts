import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPreflightCommand } from "../../lib/cli/preflight-command";
import { synthRun, tempDir } from "../helpers/synth-run";

async function run(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPreflightCommand(args, {
    env: {},
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
  });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

describe("npm run preflight", () => {
  const { outdir } = synthRun(join(process.cwd(), "replication.config.json"));

  test("prints a table per rule and ends with the summary line; exit 0", async () => {
    const result = await run(["--outdir", outdir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("replication-my-app-data-prod · rule CrossAccountReplicationRule");
    expect(result.stdout).toMatch(
      /s3:ReplicateObject +arn:aws:iam::111122223333:role\/S3CrossAccountReplicationRole +arn:aws:s3:::my-app-data-backup\/preflight\/preflight-sample.txt +pass/,
    );
    // The guide's rule: 10 requests S3 makes, 4 writes into a same-named bucket of another account it must not.
    expect(result.stdout).toMatch(
      /deny s3:ReplicateObject +arn:aws:iam::111122223333:role\/S3CrossAccountReplicationRole +arn:aws:s3:::my-app-data-backup\/preflight\/preflight-sample.txt +pass +a bucket of that name owned by account 000000000000 \(s3:ResourceAccount\): denied by the role policy/,
    );
    expect(result.stdout.split("\n").pop()).toBe("preflight: 38 checks, 38 passed, 0 failed");
  });

  test("prints JSON for pipelines", async () => {
    const result = await run(["--json", "--outdir", outdir]);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ stacks: ["replication-my-app-data-prod"], passed: 38, failed: 0 });
    expect(report.results[0]).toMatchObject({ check: "sts:AssumeRole", principal: "s3.amazonaws.com", passed: true });
  });

  test("exits 1 and points at the help section when a check fails", async () => {
    const broken = synthRun(join(process.cwd(), "replication.config.json")).outdir;
    const file = join(broken, "stacks/replication-my-app-data-prod/cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    json.resource.aws_s3_bucket_versioning.source.versioning_configuration.status = "Suspended";
    writeFileSync(file, JSON.stringify(json));
    const result = await run(["--outdir", broken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/versioning .* FAIL .*-> help\/troubleshooting\.md#versioning-must-be-enabled-error/);
    expect(result.stdout.split("\n").pop()).toBe("preflight: 38 checks, 37 passed, 1 failed");
  });

  test("exits 2 when nothing was synthesized, saying what to run", async () => {
    const result = await run(["--outdir", join(tempDir(), "nothing")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nothing\/stacks does not exist: run `npm run synth` first$/);
  });

  test("exits 2 on an unknown option, with the usage", async () => {
    const result = await run(["--jsno"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage: npm run preflight");
  });
});
