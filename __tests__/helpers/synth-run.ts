import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSynth } from "../../lib/cli/synth";
import type { TerraformJson } from "./config";

const made: string[] = [];
// Jest gives each test file its own copy of this module: its directories go when the file is done.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file's last test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "replication-test-"));
  made.push(dir);
  return dir;
}

/** Writes `content` (an object as JSON, or text as is) to a temp file and returns its path. */
export function writeConfig(content: unknown, dir = tempDir()): string {
  const file = join(dir, "config.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

export interface SynthRun {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly outdir: string;
}

/** Runs `npm run synth`'s code in-process with REPLICATION_CONFIG and CDKTF_OUTDIR set. */
export function synthRun(configFile: string | undefined, outdir = join(tempDir(), "cdktf.out")): SynthRun {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env = { CDKTF_OUTDIR: outdir, ...(configFile ? { REPLICATION_CONFIG: configFile } : {}) };
  const code = runSynth({ env, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr, outdir };
}

/** Every file under `dir`, path -> content. */
export function tree(dir: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, tree(dir, path));
    else files[path] = readFileSync(join(dir, path), "utf8");
  }
  return files;
}

/** Every stack of a synthesized config (a path from the project root, or a config object), as Terraform reads it from disk. */
export function stacksOf(config: string | object): Record<string, TerraformJson> {
  const run = synthRun(typeof config === "string" ? join(process.cwd(), config) : writeConfig(config));
  if (run.code !== 0) throw new Error(run.stderr.join("\n"));
  const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
  return Object.fromEntries(
    Object.keys(manifest.stacks).map((name) => [
      name,
      JSON.parse(readFileSync(join(run.outdir, "stacks", name, "cdk.tf.json"), "utf8")),
    ]),
  );
}
