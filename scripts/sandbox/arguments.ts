/** `npm run sandbox [-- start|stop] [--example <name>] [--dir <path>]`, parsed. */
import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";

export const SANDBOX_USAGE = `usage: npm run sandbox [-- start|stop] [-- --example <name>] [-- --dir <path>]

Starts an AWS emulator (moto, the end-to-end test's) on 127.0.0.1, makes the example's accounts,
AWS CLI profiles and existing buckets in it, synthesizes the example, and prints the environment
that points npm run plan/apply/doctor, cdktf and terraform at it, and nowhere else.
  start             (the default) start the sandbox; refuses while one is running
  stop              stop the emulator by its recorded process id and remove the sandbox directory
  --example <name>  a file of examples/ without .json (default: replication.config.json, the guide's)
  --dir <path>      where the profiles, Terraform settings and synthesized stacks go (default .sandbox)
Exit codes: 0 done, 1 a prerequisite is missing or a step failed, 2 bad arguments.`;

export type SandboxRequest =
  | { readonly action: "help" }
  | { readonly action: "start"; readonly dir: string; readonly config: string; readonly example: string }
  | { readonly action: "stop"; readonly dir: string };

export class UsageError extends Error {}

export const DEFAULT_EXAMPLE = "replication.config";

/** The examples a sandbox can start with: the default config and examples/*.json, by name. */
export function exampleNames(root: string): string[] {
  const examples = readdirSync(join(root, "examples"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => basename(f, ".json"))
    .sort();
  return [DEFAULT_EXAMPLE, ...examples];
}

function configOf(root: string, example: string): string {
  if (example === DEFAULT_EXAMPLE) return join(root, "replication.config.json");
  const file = join(root, "examples", `${example}.json`);
  if (!/^[a-z0-9-]+$/.test(example) || !existsSync(file)) {
    throw new UsageError(`--example ${example}: no such example; use one of ${exampleNames(root).join(", ")}`);
  }
  return file;
}

/** `root` is the project root; paths in the request are absolute. */
export function parseSandboxArguments(argv: readonly string[], root: string): SandboxRequest {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { action: "help" };
  if (positionals.length > 1) throw new UsageError(`one action at a time: got ${positionals.join(" ")}`);
  const action = positionals[0] ?? "start";
  const dir = resolve(root, values.dir ?? ".sandbox");
  if (action === "stop") {
    if (values.example) throw new UsageError("--example is for start: stop takes only --dir");
    return { action, dir };
  }
  if (action !== "start") throw new UsageError(`unknown action "${action}": use start or stop`);
  const example = values.example ?? DEFAULT_EXAMPLE;
  return { action, dir, example, config: configOf(root, example) };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      example: { type: "string" },
      dir: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
