/**
 * The synthesized Terraform JSON as preflight reads it: cdktf.out/stacks/<stack>/cdk.tf.json and
 * cdktf.out/manifest.json. Preflight reads only these files, never the TypeScript model, so it
 * proves what Terraform will actually apply.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { asList, isJsonObject, type JsonObject, objectAt, statementsOf, stringsAt } from "../json";
import { mapStrings, unescapeTemplateText } from "../terraform-template";

export { asList, type JsonObject, statementsOf, stringsAt };

export interface StackJson {
  readonly name: string;
  readonly json: JsonObject;
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
  const manifest: unknown = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, "utf8")) : { stacks: {} };
  return readdirSync(stacksDir)
    .filter((name) => existsSync(join(stacksDir, name, "cdk.tf.json")))
    .sort()
    .map((name) => ({
      name,
      json: stackJson(join(stacksDir, name, "cdk.tf.json")),
      dependencies: stringsAt(manifest, "stacks", name, "dependencies"),
    }));
}

/** A stack's synthesized JSON, as literal text as Terraform reads it; the project's own references stay `${...}`. */
function stackJson(file: string): JsonObject {
  const json = mapStrings(JSON.parse(readFileSync(file, "utf8")), unescapeTemplateText);
  if (!isJsonObject(json)) throw new PreflightInputError(`${file} is no JSON object`);
  return json;
}

/** The resources of one type in a stack, by name; one that is no object has no fields. */
export function resourcesOf(stack: StackJson, type: string): Array<[string, JsonObject]> {
  return Object.entries(objectAt(objectAt(stack.json, "resource"), type) ?? {}).map(([name, resource]) => [
    name,
    isJsonObject(resource) ? resource : {},
  ]);
}
