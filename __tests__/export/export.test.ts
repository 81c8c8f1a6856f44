import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { EXPORT_USAGE, runExportCommand } from "../../lib/cli/export-command";
import { exampleConfig } from "../helpers/config";
import { tempDir, writeConfig } from "../helpers/synth-run";

function exportTo(target: string, config = "replication.config.json") {
  const outdir = join(tempDir(), "cdktf.out");
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = runExportCommand([target], {
    env: { CDKTF_OUTDIR: outdir, REPLICATION_CONFIG: resolve(config) },
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
  });
  return { code, outdir, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

describe("npm run export", () => {
  test("writes each stack as main.tf.json, the topology and a README", () => {
    const target = join(tempDir(), "terraform");
    const result = exportTo(target);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `exported 1 stack(s) to ${target}: replication-my-app-data-prod (see ${target}/README.md)`,
    );
    expect(readFileSync(join(target, "replication-my-app-data-prod/main.tf.json"), "utf8")).toBe(
      readFileSync(join(result.outdir, "stacks/replication-my-app-data-prod/cdk.tf.json"), "utf8"),
    );
    expect(existsSync(join(target, "topology.md"))).toBe(true);
    const readme = readFileSync(join(target, "README.md"), "utf8");
    expect(readme).toContain(
      "terraform init\nterraform plan -out replication.tfplan\nterraform apply replication.tfplan",
    );
    expect(readme).toContain('-backend-config="bucket=my-other-state-bucket"');
    expect(readme).toContain("backend_override.tf.json");
    expect(readme).toContain(
      "1. `replication-my-app-data-prod` (state: s3://my-terraform-state-111122223333/s3-replication/replication-my-app-data-prod/terraform.tfstate)",
    );
  });

  test("lists stacks in the order they must be applied", () => {
    const target = join(tempDir(), "terraform");
    exportTo(target, "examples/two-way.json");
    const readme = readFileSync(join(target, "README.md"), "utf8");
    expect(readme.indexOf("1. `replication-acme-shared-east`")).toBeGreaterThan(0);
    expect(readme.indexOf("2. `replication-acme-shared-west`")).toBeGreaterThan(
      readme.indexOf("1. `replication-acme-shared-east`"),
    );
  });

  test("writes one directory per stack of a grouped layout, and the topology says what each holds", () => {
    const target = join(tempDir(), "terraform");
    const result = exportTo(target, writeConfig({ ...exampleConfig("central-log-archive"), stackLayout: "single" }));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`exported 1 stack(s) to ${target}: replication-all (see ${target}/README.md)`);
    expect(readFileSync(join(target, "README.md"), "utf8")).toContain(
      "1. `replication-all` (state: s3://acme-terraform-state-999988887777/s3-replication/replication-all/terraform.tfstate)",
    );
    expect(readFileSync(join(target, "topology.md"), "utf8")).toContain(
      "| `replication-all` | shared destination acme-central-log-archive; acme-payments-logs → acme-central-log-archive; acme-search-logs → acme-central-log-archive; acme-analytics-logs → acme-central-log-archive | – |",
    );
  });

  test("a new export keeps each stack's provider lock file", () => {
    const target = join(tempDir(), "terraform");
    expect(exportTo(target).code).toBe(0);
    const lock = join(target, "replication-my-app-data-prod/.terraform.lock.hcl");
    writeFileSync(lock, '# provider "registry.terraform.io/hashicorp/aws" locked by terraform init\n');
    expect(exportTo(target).code).toBe(0);
    expect(readFileSync(lock, "utf8")).toContain("locked by terraform init");
  });

  test("overwrites its own earlier export but refuses a directory it did not write", () => {
    const target = join(tempDir(), "terraform");
    expect(exportTo(target).code).toBe(0);
    expect(exportTo(target).code).toBe(0);
    const foreign = tempDir();
    mkdirSync(join(foreign, "mine"));
    writeFileSync(join(foreign, "mine/main.tf"), "# hand-written");
    const result = exportTo(foreign);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `export: ${foreign} is not empty and was not written by export: choose an empty or new directory`,
    );
  });

  test("needs a directory", () => {
    const stderr: string[] = [];
    expect(runExportCommand([], { env: {}, stdout: () => {}, stderr: (t) => stderr.push(t) })).toBe(2);
    expect(stderr).toEqual([EXPORT_USAGE]);
  });
});
