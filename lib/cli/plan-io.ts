/**
 * What `npm run plan`, `apply`, `stacks` and `adopt` share on the command line: the process's
 * io, Terraform as a child process, the environment lib/plan runs in, commander set up the
 * project's way (help and version on stdout, exit 0; usage errors exit 2), and the job summary.
 */
import { appendFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline/promises";
import { type Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ConfigError } from "../config/config-error";
import { awsClients, type ClientsFor } from "../ops/aws-clients";
import { EndpointError } from "../ops/endpoints";
import { announceTerraformEndpoints } from "../ops/terraform-endpoints";
import type { PlanEnvironment } from "../plan/plan";
import { pluginCacheDir } from "../plan/plugin-cache";
import { stackProgress } from "../plan/progress";
import { type CommandRunner, PlanError } from "../plan/run-plan";
import { runProcess } from "../run-process";
import { EXIT, VERSION_TEXT } from "./conventions";
import { runSynth } from "./synth";

export interface PlanIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Terraform; tests pass a fake. */
  readonly run?: CommandRunner;
  /** AWS clients for the existing-bucket and prerequisite checks; tests pass mocked ones. */
  readonly clients?: ClientsFor;
  /** A person is at a terminal: progress bar, and apply may ask. */
  readonly isTTY?: boolean;
  /** Asks the person a question and returns the answer. */
  readonly ask?: (question: string) => Promise<string>;
}

export function terraformRunner(env: NodeJS.ProcessEnv): CommandRunner {
  return (command, args, cwd) => runProcess(command, args, { cwd, env: { ...env, TF_IN_AUTOMATION: "1" } });
}

export const DEFAULT_OUTDIR = "cdktf.out";

/**
 * How lib/plan runs from the command line: the project's synth (quiet), Terraform with one
 * provider plugin cache for every stack, the operator's AWS clients (every standard endpoint
 * setting honoured, lib/ops/endpoints.ts), and a progress line (a bar on a terminal, where
 * Terraform's step lines would only break it).
 */
export function planEnvironment(io: PlanIo, concurrency: number): PlanEnvironment {
  let clients: ClientsFor | undefined = io.clients;
  // Made on first use: the plugin cache directory is created only when Terraform runs.
  let terraform: CommandRunner | undefined = io.run;
  return {
    env: io.env,
    outdir: io.env.CDKTF_OUTDIR || DEFAULT_OUTDIR,
    synth: (outdir) =>
      runSynth({ env: { ...io.env, CDKTF_OUTDIR: outdir }, stdout: io.stderr, stderr: io.stderr, quiet: true }) === 0,
    run: (command, args, cwd) => {
      terraform ??= terraformRunner({ ...io.env, TF_PLUGIN_CACHE_DIR: pluginCacheDir(io.env, process.cwd()) });
      return terraform(command, args, cwd);
    },
    // Terraform reads the same endpoint settings as the clients: the endpoints both will use are
    // checked (plain http off the machine is refused) and announced first.
    clients: async (model) => {
      if (!clients) {
        await announceTerraformEndpoints(model, io.env, io.stderr);
        clients = await awsClients({ env: io.env });
      }
      return clients;
    },
    log: io.isTTY ? () => {} : io.stderr,
    progress: (verb, total) => stackProgress(verb, total, { isTTY: io.isTTY ?? false, log: io.stderr }),
    concurrency,
  };
}

function wholeNumber(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("use a whole number, 1 or more");
  return Number(value);
}

/** `--concurrency N`, shared by plan and apply. */
export function concurrencyOption(): Option {
  const fallback = Math.min(4, availableParallelism());
  return new Option(
    "--concurrency <n>",
    "how many stacks run at once; a stack always waits for the stacks it depends on",
  )
    .default(fallback, `4, or the number of cores if fewer (here ${fallback})`)
    .argParser(wholeNumber);
}

/** `--shards N`. */
export function shardsOption(): Option {
  return new Option(
    "--shards <n>",
    "split the stacks into at most N groups of neighbours in deployment order, printed as a JSON array of space-separated lists (for the jobs of a CI matrix; GitHub allows 256)",
  ).argParser(wholeNumber);
}

/** Where the summary goes besides stdout. */
export function summaryFileOption(): Option {
  return new Option(
    "--summary-file <file>",
    "also append the summary (Markdown) to this file (default: $GITHUB_STEP_SUMMARY, when set)",
  );
}

/** Prints the summary and appends it to the job summary file. */
export function publish(markdown: string, summaryFile: string | undefined, io: PlanIo): void {
  io.stdout(markdown);
  const file = summaryFile ?? io.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, `${markdown}\n`);
}

/** Appends `name=value` to $GITHUB_OUTPUT, for the next step or job. */
export function githubOutput(io: PlanIo, name: string, value: string): void {
  if (io.env.GITHUB_OUTPUT) appendFileSync(io.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** The project's conventions on a commander command: its own help, version, output and exit codes. */
export function conventional(command: Command, io: PlanIo, exitCodes: string): Command {
  return command
    .version(VERSION_TEXT, "--version", "print the version")
    .helpOption("-h, --help", "print this help")
    .addHelpText("after", `\n${exitCodes}`)
    .configureOutput({
      writeOut: (text) => io.stdout(text.replace(/\n$/, "")),
      writeErr: (text) => io.stderr(text.replace(/\n$/, "")),
    })
    .exitOverride()
    .showHelpAfterError("(add --help for every option)");
}

/**
 * Runs a command built by `build`, which reports its exit code through `exit`: help and version
 * exit 0, usage errors and bad input (config, unknown stack) exit 2 with a plain message.
 */
export async function runCommand(
  build: (exit: (code: number) => void) => Command,
  argv: readonly string[],
  io: PlanIo,
): Promise<number> {
  let code: number = EXIT.ok;
  const command = build((c) => {
    code = c;
  });
  try {
    await command.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof PlanError || error instanceof ConfigError || error instanceof EndpointError) {
      io.stderr(error.message);
      return EXIT.usage;
    }
    throw error;
  }
}

/** The process's own io: a terminal when stdin and stderr are one. */
export function processIo(): PlanIo {
  const isTTY = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  return {
    env: process.env,
    stdout: (text) => console.log(text),
    stderr: (text) => console.error(text),
    isTTY,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
