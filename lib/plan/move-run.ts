/**
 * `npm run move -- --from <layout>`, behind one call: synthesize the config's layout and the old
 * one (the same config with `stackLayout` = the old layout and no `replications[].stack`), read
 * each old root's state (`terraform init` + `terraform show -json` in its synthesized directory,
 * with its own backend), match every resource with the new root that holds it (move.ts), and
 * write, only when every resource found a new root: for each new root that takes something, a
 * directory with its synthesized JSON and its `import` blocks; for each old root that gives
 * something, a retirement directory with its backend, providers and `removed` blocks.
 *
 * Override files beside a stack (`*_override.tf.json`: a provider version, a backend setting) are
 * part of its configuration: the old stacks' go with them into the directory their states are read
 * in and into their retirement directories, and a new stack's into its import directory. They are
 * read before the config's layout is synthesized, which removes the old stacks' directories.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { configFileFromEnv } from "../config/loader";
import type { StackLayout } from "../config/model";
import { isJsonObject, type JsonObject, objectAt, valueAt } from "../json";
import { STACK_TAG } from "../naming";
import { importsJson, planMove, retirementJson, type StateResource, stateResources } from "./move";
import type { PlanEnvironment } from "./plan";
import { PlanError, readManifest, stackDir, stacksToPlan, terraformStep } from "./run-plan";
import { isOverrideFile, SYNTH_FILE } from "./saved-plan";

export interface MoveRequest {
  readonly from: StackLayout;
  /** Where the import and retirement directories go. */
  readonly out: string;
}

export interface MoveEnvironment extends PlanEnvironment {
  /** Synthesizes another config file into a directory. */
  readonly synthConfig: (configFile: string, outdir: string) => boolean;
}

export interface MoveResult {
  readonly code: number;
  readonly lines: readonly string[];
}

/**
 * A root whose local state path (relative to its directory) is made absolute, as if it sat in
 * `home`: the move's directories are elsewhere, but must read and write the stacks' own states.
 */
function anchored(root: JsonObject, home: string): JsonObject {
  const local = objectAt(valueAt(root, "terraform", "backend"), "local");
  const path = local?.path;
  if (typeof path !== "string" || path === "" || isAbsolute(path)) return root;
  return {
    ...root,
    terraform: { ...objectAt(root, "terraform"), backend: { local: { ...local, path: resolve(home, path) } } },
  };
}

/** The override files beside a stack: file name -> content. */
function overridesIn(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter(isOverrideFile)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );
}

function writeAll(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
}

/** A synthesized root; cdktf writes an object, so anything else is no root to move from or to. */
function readRoot(file: string): JsonObject {
  const root: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isJsonObject(root)) throw new PlanError(`${file} is no JSON object`);
  return root;
}

const rootsOf = (outdir: string): Map<string, JsonObject> =>
  new Map(
    stacksToPlan(readManifest(outdir), []).map((stack) => [stack, readRoot(join(stackDir(outdir)(stack), SYNTH_FILE))]),
  );

/** The config with the old layout, and no replication naming its own stack (a non-list is left for the synth to refuse). */
function oldLayoutConfig(config: unknown, from: StackLayout): JsonObject {
  const replications = valueAt(config, "replications") ?? [];
  return {
    ...(isJsonObject(config) ? config : {}),
    stackLayout: from,
    replications: Array.isArray(replications)
      ? replications.map((r: unknown) => {
          if (!isJsonObject(r)) return r;
          const { stack: _stack, ...rest } = r;
          return rest;
        })
      : replications,
  };
}

export async function move(request: MoveRequest, environment: MoveEnvironment): Promise<MoveResult> {
  const file = configFileFromEnv(environment.env);
  const old = oldLayoutConfig(JSON.parse(readFileSync(file, "utf8")), request.from);
  const work = mkdtempSync(join(tmpdir(), "replication-move-"));
  try {
    const oldFile = join(work, "old.config.json");
    writeFileSync(oldFile, JSON.stringify(old, null, 2));
    const oldOut = join(work, "cdktf.out");
    if (!environment.synthConfig(oldFile, oldOut)) return { code: 2, lines: [] };
    const home = stackDir(environment.outdir);
    const oldRoots = new Map([...rootsOf(oldOut)].map(([stack, root]) => [stack, anchored(root, home(stack))]));
    const oldOverrides = new Map([...oldRoots.keys()].map((stack) => [stack, overridesIn(home(stack))]));
    for (const [stack, root] of oldRoots) {
      writeFileSync(join(stackDir(oldOut)(stack), SYNTH_FILE), JSON.stringify(root, null, 2));
      writeAll(stackDir(oldOut)(stack), oldOverrides.get(stack) as Map<string, string>);
    }
    if (!environment.synth(environment.outdir)) return { code: 2, lines: [] };
    const newRoots = rootsOf(environment.outdir);
    const options = {
      outdir: oldOut,
      stacks: [],
      manifest: {},
      run: environment.run,
      log: environment.log,
      concurrency: 1,
    };
    const states = new Map<string, StateResource[]>();
    for (const stack of oldRoots.keys()) {
      const step = terraformStep(options, stack);
      await step(["init", "-input=false", "-no-color"]);
      states.set(stack, stateResources(JSON.parse((await step(["show", "-json"])).stdout || "{}")));
    }
    const plan = planMove(states, newRoots);
    if (plan.unmatched.length > 0) {
      throw new PlanError(
        `no root of the config's layout holds ${plan.unmatched.join(", ")}: nothing written (is --from the layout these stacks were applied with?)`,
      );
    }
    if (plan.imports.size === 0) return { code: 0, lines: [`move: nothing to move from ${request.from}`] };
    rmSync(request.out, { recursive: true, force: true });
    for (const [stack, blocks] of plan.imports) {
      const dir = join(request.out, stack);
      mkdirSync(dir, { recursive: true });
      const root = anchored(newRoots.get(stack) as JsonObject, home(stack));
      writeFileSync(join(dir, SYNTH_FILE), `${JSON.stringify(root, null, 2)}\n`);
      writeFileSync(join(dir, "imports.tf.json"), `${JSON.stringify(importsJson(blocks), null, 2)}\n`);
      writeAll(dir, overridesIn(home(stack)));
    }
    for (const [stack, addresses] of plan.removed) {
      const dir = join(request.out, `retire-${stack}`);
      mkdirSync(dir, { recursive: true });
      const root = oldRoots.get(stack) as JsonObject;
      writeFileSync(join(dir, "main.tf.json"), `${JSON.stringify(retirementJson(root, addresses), null, 2)}\n`);
      writeAll(dir, oldOverrides.get(stack) as Map<string, string>);
    }
    const count = [...plan.imports.values()].reduce((n, b) => n + b.length, 0);
    return {
      code: 0,
      lines: [
        `move: ${count} resource(s) change roots, from ${plan.removed.size} ${request.from} stack(s) into ${plan.imports.size} stack(s); nothing is created or destroyed in AWS.`,
        "Apply in this order (prevent_destroy stays on; stop if a plan shows anything else):",
        ...[...plan.imports.keys()].map(
          (stack) =>
            `  1. terraform -chdir=${join(request.out, stack)} init && terraform -chdir=${join(request.out, stack)} plan -out=move.tfplan: review it: ${plan.imports.get(stack)?.length} imports, nothing created or destroyed; the only in-place updates are the ${STACK_TAG} tag, which now names ${stack}, and settings AWS does not keep (force_destroy, deletion_window_in_days, ...), written to the state; then terraform -chdir=${join(request.out, stack)} apply move.tfplan`,
        ),
        ...[...plan.removed.keys()].map(
          (stack) =>
            `  2. terraform -chdir=${join(request.out, `retire-${stack}`)} init && terraform -chdir=${join(request.out, `retire-${stack}`)} plan -out=retire.tfplan: review it: only forgets (${plan.removed.get(stack)?.length}), destroys nothing; then terraform -chdir=${join(request.out, `retire-${stack}`)} apply retire.tfplan`,
        ),
        "  3. delete each retired stack's state, now empty (its backend key in the state bucket), and the move directory; npm run plan then shows no changes.",
      ],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
