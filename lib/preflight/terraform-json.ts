/**
 * The synthesized Terraform JSON as preflight reads it: cdktf.out/stacks/<stack>/cdk.tf.json and
 * cdktf.out/manifest.json. Preflight reads only these files, never the TypeScript model, so it
 * proves what Terraform will actually apply.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { asList, type Json, type JsonObject, statementsOf, stringsAt } from "../json";
import { mapStrings, unescapeTemplateText } from "../terraform-template";

export { asList, type Json, type JsonObject, statementsOf, stringsAt };

export interface StackJson {
  readonly name: string;
  readonly json: Json;
  /** Stacks this one is deployed after (cdktf manifest). */
  readonly dependencies: readonly string[];
}

export class PreflightInputError extends Error {}

/** Every stack in a cdktf output directory, by name. */
export function readStacks(outdir: string): StackJson[] {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) {
    throw new PreflightInputError(`${stacksDir} does not exist: run \`npm run synth\` first`);
  }
  const manifestFile = join(outdir, "manifest.json");
  const manifest: Json = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, "utf8")) : { stacks: {} };
  return readdirSync(stacksDir)
    .filter((name) => existsSync(join(stacksDir, name, "cdk.tf.json")))
    .sort()
    .map((name) => ({
      name,
      // Literal text as Terraform reads it; the project's own references stay `${...}`.
      json: mapStrings(
        JSON.parse(readFileSync(join(stacksDir, name, "cdk.tf.json"), "utf8")),
        unescapeTemplateText,
      ) as Json,
      dependencies: manifest.stacks?.[name]?.dependencies ?? [],
    }));
}

/** The resources of one type in a stack, by name. */
export function resourcesOf(stack: StackJson, type: string): Array<[string, Json]> {
  return Object.entries(stack.json.resource?.[type] ?? {});
}
