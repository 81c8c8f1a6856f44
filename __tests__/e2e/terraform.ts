/**
 * Terraform as a user runs it, on the synthesized stacks, against the emulator. The synthesized
 * JSON is never edited: where the pinned AWS provider cannot be had, a `*_override.tf.json` beside
 * it sets the version that can, and the CLI config installs providers from a local filesystem
 * mirror only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CommandResult, run } from "./command";

export const DEFAULT_MIRROR = "/opt/tf-plugins";
const AWS_PROVIDER_DIR = join("registry.terraform.io", "hashicorp", "aws");
export const OVERRIDE_FILE = "zz_e2e_provider_override.tf.json";

/** Versions of hashicorp/aws in a filesystem mirror (unpacked layout), newest first. */
export function mirroredAwsVersions(mirror: string): string[] {
  const dir = join(mirror, AWS_PROVIDER_DIR);
  if (!existsSync(dir)) return [];
  const numeric = (v: string) => v.split(".").map(Number);
  return readdirSync(dir)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && existsSync(join(dir, v, "linux_amd64")))
    .sort((a, b) => {
      const [x, y] = [numeric(a), numeric(b)];
      return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
    });
}

/**
 * E2E_PROVIDER_DOWNLOAD=1 (CI on GitHub's runners, where the registry is reachable): when the
 * mirror lacks the release the stacks pin, that release is fetched into the mirror first, so the
 * test runs the pinned provider instead of whatever release the mirror holds.
 */
export const PROVIDER_DOWNLOAD_VARIABLE = "E2E_PROVIDER_DOWNLOAD";

/**
 * Fetches hashicorp/aws `version` into `mirror`: `terraform init` of a configuration that requires
 * only that release, with the mirror as its plugin cache, which Terraform fills in the unpacked
 * layout a filesystem mirror uses (stacks then link it instead of unpacking a copy each).
 */
export function downloadIntoMirror(mirror: string, version: string, workDir: string): Promise<CommandResult> {
  const dir = join(workDir, "provider-download");
  mkdirSync(dir, { recursive: true });
  mkdirSync(mirror, { recursive: true });
  writeFileSync(
    join(dir, "main.tf.json"),
    JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } } }),
  );
  return run("terraform", ["init", "-input=false", "-no-color", "-backend=false"], {
    cwd: dir,
    env: { ...process.env, TF_PLUGIN_CACHE_DIR: mirror, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
  });
}

/** The AWS provider version a synthesized stack pins. */
export function pinnedAwsVersion(stackDir: string): string {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  return json.terraform?.required_providers?.aws?.version ?? "";
}

/** A Terraform CLI config that installs hashicorp/aws from the mirror and nothing from the network. */
export function writeCliConfig(file: string, mirror: string, pluginCache?: string): void {
  writeFileSync(
    file,
    [
      ...(pluginCache ? [`plugin_cache_dir = ${JSON.stringify(pluginCache)}`] : []),
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      "  }",
      "}",
      "",
    ].join("\n"),
  );
}

/**
 * Pins the provider version that runs, when it differs from the one the stack requires. Terraform
 * merges `terraform.required_providers` of an override file entry by entry.
 */
export function writeProviderOverride(stackDir: string, version: string): void {
  const file = join(stackDir, OVERRIDE_FILE);
  if (version === pinnedAwsVersion(stackDir)) return;
  writeFileSync(
    file,
    `${JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } } }, null, 2)}\n`,
  );
}

export type Terraform = (args: readonly string[], stackDir: string) => Promise<CommandResult>;

/** Runs terraform with the given environment, never asking for input, without colour. */
export function terraformWith(env: NodeJS.ProcessEnv): Terraform {
  return (args, stackDir) => run("terraform", [...args], { cwd: stackDir, env });
}

/** The first line Terraform flagged as an error, for a one-line report. */
export function errorLine(result: CommandResult): string {
  const text = `${result.stderr}\n${result.stdout}`;
  const line = text.split("\n").find((l) => /Error:/.test(l));
  return (line ?? text.trim().split("\n").slice(-1)[0] ?? "")
    .replace(/^[\s│╷╵]+/, "")
    .replace(/ RequestID: [^,]*, HostID: [^,]*,/, "")
    .trim();
}
