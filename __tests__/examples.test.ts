import { readdirSync } from "node:fs";
import { join } from "node:path";
import { synthRun } from "./helpers/synth-run";

const examples = readdirSync(join(process.cwd(), "examples")).filter((f) => f.endsWith(".json"));

describe("examples", () => {
  test("cover every scenario the README describes", () => {
    expect(examples.sort()).toEqual([
      "backup-vault.json",
      "central-log-archive.json",
      "fan-out.json",
      "kms.json",
      "local-try-out.json",
      "log-archive-one-stack.json",
      "new-buckets.json",
      "org-log-archive.json",
      "pipeline-assume-role.json",
      "rtc-monitoring.json",
      "two-way.json",
    ]);
  });

  test.each(examples)("%s synthesizes", (file) => {
    const run = synthRun(join(process.cwd(), "examples", file));
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
  });
});
