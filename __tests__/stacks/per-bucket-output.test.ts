// The per-bucket layout (the default) keeps every stack byte for byte: a stack layout that changed
// one address, provider, name or dependency of an existing stack would have Terraform replace it.
// per-bucket-output.sha256.json holds the SHA-256 of each stack's cdk.tf.json and of the manifest
// (its stacks and their dependencies), as the default config and every example synthesized before
// stack layouts existed (captured from the branch the layouts were built on, not by this code).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { synthRun } from "../helpers/synth-run";

const ROOT = join(__dirname, "..", "..");
const captured: Record<string, string> = JSON.parse(
  readFileSync(join(__dirname, "per-bucket-output.sha256.json"), "utf8"),
);
const configs = [
  join(ROOT, "replication.config.json"),
  ...readdirSync(join(ROOT, "examples"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(ROOT, "examples", f)),
];
// The CDK Terrain build (.ci/cdktn-build) writes its framework's and provider's versions into every
// file, so these bytes cannot match there; its parity test (__tests__/frameworks/same-json.parity.ts)
// proves the same JSON as this build apart from those versions, which carries this proof over.
// (Asked as "no cdktn", because .ci/cdktn/switch rewrites every "cdktf" string literal in the tests.)
const cdktfBuild = !Object.hasOwn(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).dependencies, "cdktn");
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("the per-bucket layout's output", () => {
  const perBucket = configs.filter((file) => JSON.parse(readFileSync(file, "utf8")).stackLayout === undefined);

  test("covers the default config and every example that keeps the default layout", () => {
    const names = new Set(Object.keys(captured).map((k) => k.split("/")[0]));
    expect(perBucket.map((f) => basename(f, ".json")).sort()).toEqual([...names].sort());
  });

  (cdktfBuild ? test.each : test.skip.each)(perBucket.map((f) => [basename(f, ".json"), f]))(
    "%s synthesizes as before stack layouts",
    (name, file) => {
      const run = synthRun(file);
      expect(run.code).toBe(0);
      const hashes: Record<string, string> = { [`${name}/manifest.json`]: sha256(join(run.outdir, "manifest.json")) };
      for (const stack of readdirSync(join(run.outdir, "stacks"))) {
        hashes[`${name}/stacks/${stack}/cdk.tf.json`] = sha256(join(run.outdir, "stacks", stack, "cdk.tf.json"));
      }
      const expected = Object.fromEntries(Object.entries(captured).filter(([k]) => k.startsWith(`${name}/`)));
      expect(hashes).toEqual(expected);
    },
  );
});
