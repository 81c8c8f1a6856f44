/**
 * Preflight reads a cdktf output directory; one it cannot read is refused by name, with the step
 * that makes it, not with a stack trace.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PreflightInputError, readStacks } from "../../lib/preflight/terraform-json";
import { tempDir } from "../helpers/synth-run";

describe("readStacks", () => {
  test("refuses a directory without stacks, naming it and npm run synth", () => {
    const outdir = tempDir();
    expect(() => readStacks(outdir)).toThrow(
      new PreflightInputError(`${join(outdir, "stacks")} does not exist: run \`npm run synth\` first`),
    );
  });

  test("refuses a stack whose JSON is no object, naming the file", () => {
    const outdir = tempDir();
    const file = join(outdir, "stacks", "replication-x", "cdk.tf.json");
    mkdirSync(join(outdir, "stacks", "replication-x"), { recursive: true });
    writeFileSync(file, "[]");
    expect(() => readStacks(outdir)).toThrow(new PreflightInputError(`${file} is no JSON object`));
  });

  test("reads stacks without a manifest as having no dependencies", () => {
    const outdir = tempDir();
    mkdirSync(join(outdir, "stacks", "replication-x"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "replication-x", "cdk.tf.json"), '{"resource":{}}');
    mkdirSync(join(outdir, "stacks", "not-a-stack"));
    expect(readStacks(outdir)).toEqual([{ name: "replication-x", json: { resource: {} }, dependencies: [] }]);
  });
});
