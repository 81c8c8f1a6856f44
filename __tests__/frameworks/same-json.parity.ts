/**
 * The CDK Terrain build writes the same Terraform JSON as the cdktf build, apart from the provider
 * version its bindings pin, how it spells the provider source, and the framework's own version.
 * Both builds cannot share one install, so this runs in CI (.ci/cdktn-build) on two output trees
 * of every config: CDKTF_JSON and CDKTN_JSON. Not part of `npm test`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type JsonDifference, jsonDifferences, providerAddress } from "../helpers/json-differences";

function outputDir(variable: string): string {
  const dir = process.env[variable];
  if (!dir) throw new Error(`set ${variable} to a directory of synthesized configs (see .ci/cdktn-build)`);
  return dir;
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    })
    .sort();
}

const cdktf = outputDir("CDKTF_JSON");
const cdktn = outputDir("CDKTN_JSON");
const paths = files(cdktf).map((file) => relative(cdktf, file));
const jsonPaths = paths.filter((p) => p.endsWith(".json"));

/** The differences the frameworks are allowed: versions, and the source's spelling. */
const VERSION_FIELDS = [
  /^terraform\.required_providers\.aws\.version$/,
  /^terraform\.required_providers\.aws\.source$/,
  /^\/\/\.metadata\.version$/,
  /^version$/,
];

const seen = new Map<string, JsonDifference>();

describe("the cdktn build", () => {
  test("writes the same files for every config", () => {
    expect(paths.length).toBeGreaterThan(0);
    expect(files(cdktn).map((file) => relative(cdktn, file))).toEqual(paths);
  });

  test.each(paths.filter((p) => !p.endsWith(".json")))("%s is identical", (path) => {
    expect(readFileSync(join(cdktn, path), "utf8")).toBe(readFileSync(join(cdktf, path), "utf8"));
  });

  test.each(jsonPaths)("%s differs only in version fields", (path) => {
    const read = (dir: string) => JSON.parse(readFileSync(join(dir, path), "utf8"));
    const differences = jsonDifferences(read(cdktf), read(cdktn));
    expect(differences.filter((d) => !VERSION_FIELDS.some((field) => field.test(d.path)))).toEqual([]);
    for (const d of differences) {
      if (d.path.endsWith(".source")) expect(providerAddress(String(d.left))).toBe(providerAddress(String(d.right)));
      seen.set(`${d.path}: ${JSON.stringify(d.left)} -> ${JSON.stringify(d.right)}`, d);
    }
  });

  afterAll(() => {
    console.log(
      `cdktf -> cdktn, every difference in ${jsonPaths.length} JSON files:\n  ${[...seen.keys()].join("\n  ")}`,
    );
  });
});
