/**
 * The escaping checked against Terraform itself: strings are escaped as the stacks escape them,
 * written as output values of a provider-less configuration, applied to local state, and read
 * back with `terraform output -json`. Each must come back exactly as it went in, and the
 * project's reader (unescapeTemplateText) must agree with Terraform on the escaped text.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { escapeTemplateText, unescapeTemplateText } from "../../lib/terraform-template";

export interface RoundTrip {
  readonly strings: number;
  readonly mismatches: ReadonlyArray<{ readonly input: string; readonly terraform: unknown }>;
}

function terraform(dir: string, args: string[]): string {
  const run = spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`terraform ${args.join(" ")} failed:\n${run.stderr}`);
  return run.stdout;
}

/** Runs the round trip for `inputs` (one Terraform apply for all of them). */
export function terraformRoundTrip(inputs: readonly string[]): RoundTrip {
  const dir = mkdtempSync(join(tmpdir(), "replication-tf-round-trip-"));
  try {
    const output = Object.fromEntries(
      inputs.map((input, i) => [
        `s${i}`,
        // Keys are templates too: the same text as a map key.
        { value: { text: escapeTemplateText(input), keyed: { [escapeTemplateText(input)]: "k" } } },
      ]),
    );
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ output }));
    terraform(dir, ["init", "-input=false", "-no-color"]);
    terraform(dir, ["apply", "-auto-approve", "-input=false", "-no-color", "-refresh=false"]);
    const values = JSON.parse(terraform(dir, ["output", "-json"])) as Record<string, { value: unknown }>;
    const mismatches = inputs.flatMap((input, i) => {
      const value = values[`s${i}`]?.value as { text: string; keyed: Record<string, string> } | undefined;
      const ok =
        value?.text === input &&
        Object.keys(value.keyed).length === 1 &&
        Object.keys(value.keyed)[0] === input &&
        unescapeTemplateText(escapeTemplateText(input)) === input;
      return ok ? [] : [{ input, terraform: value }];
    });
    return { strings: inputs.length, mismatches };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when a terraform binary is on PATH. */
export function hasTerraform(): boolean {
  return spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
}
