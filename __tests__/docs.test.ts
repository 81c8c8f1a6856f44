import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HELP } from "../lib/check-result";
import { configReferenceText } from "../lib/config/config-reference";
import { configJsonSchema } from "../lib/config/json-schema";
import { markdownDocs, readDoc, sectionOf } from "./helpers/markdown-docs";

const root = process.cwd();
const readme = readFileSync(join(root, "README.md"), "utf8");

type Node = {
  properties?: Record<string, Node>;
  items?: Node;
  additionalProperties?: Node | boolean;
  oneOf?: Node[];
};

/** Every field path of the config, as the README's config reference writes it. */
function fieldPaths(node: Node, prefix = ""): string[] {
  const paths: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    paths.push(`${prefix}${key}`, ...fieldPaths(child, `${prefix}${key}.`));
  }
  if (node.items) paths.push(...fieldPaths(node.items, `${prefix.replace(/\.$/, "")}[].`));
  if (typeof node.additionalProperties === "object") {
    paths.push(...fieldPaths(node.additionalProperties, `${prefix}<name>.`));
  }
  for (const option of node.oneOf ?? []) paths.push(...fieldPaths(option, prefix));
  return [...new Set(paths)];
}

describe("documentation", () => {
  test("docs/config-reference.md is what `npm run docs` writes from the schema", () => {
    const current = readDoc("docs/config-reference.md") === configReferenceText();
    expect(current ? "current" : "stale: run `npm run docs` and commit docs/config-reference.md").toBe("current");
  });

  test("the config reference names every config field", () => {
    const reference = readDoc("docs/config-reference.md");
    const fields = fieldPaths(configJsonSchema() as Node).filter((p) => !p.includes("additionalStatements[]"));
    expect(fields.length).toBeGreaterThan(40);
    expect(fields.filter((field) => !reference.includes(`\`${field}\``))).toEqual([]);
  });

  test("CI runs the README's two commands, then the end-to-end test the README describes", () => {
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
    expect(readDoc("CONTRIBUTING.md")).toContain("npm run test:e2e");
    const ci = readFileSync(join(root, ".ci/run"), "utf8");
    const commands = ci.split("\n").filter((line) => line.startsWith("npm"));
    expect(commands).toEqual(["npm ci && npm run synth", "npm test", "npm run test:e2e"]);
  });

  test("the README's runtimes are the ones CI installs and package.json accepts", () => {
    const ci = readFileSync(join(root, ".ci/run"), "utf8");
    expect(ci).toContain("bash .ci/runtimes");
    expect(ci).toContain("bash .ci/cdktn-build");
    const releases = [...readFileSync(join(root, ".ci/common.sh"), "utf8").matchAll(/^NODE_\d+=(\S+)$/gm)].map(
      (m) => m[1],
    );
    expect(releases.map((r) => r.split(".")[0])).toEqual(["22", "24"]);
    const section = sectionOf("docs/upgrades.md", "## Runtimes and warnings");
    for (const release of releases) expect(section).toContain(release);
    const { engines } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    // The CDK Terrain build (docs/upgrades.md "CDK Terrain") narrows engines: the docs name both.
    expect(section).toContain(`\`${engines.node}\``);
  });

  test("every example has a README, and the examples' index names it", () => {
    const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".json"));
    const index = readDoc("examples/README.md");
    const docs = markdownDocs();
    expect(examples.length).toBeGreaterThan(5);
    expect(examples.filter((f) => !docs.includes(`examples/${f.replace(/\.json$/, ".md")}`))).toEqual([]);
    expect(examples.filter((f) => !index.includes(`[${f}](${f.replace(/\.json$/, ".md")})`))).toEqual([]);
  });
});

describe("help sections", () => {
  const slug = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^a-z0-9 _-]/g, "")
      .replace(/ /g, "-");
  const anchors = readFileSync(join(root, "help/troubleshooting.md"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("## "))
    .map((line) => slug(line.slice(3)));

  test("every preflight failure points at a section that exists", () => {
    const missing = Object.values(HELP)
      .map((link) => link.split("#")[1])
      .filter((anchor) => !anchors.includes(anchor));
    expect(missing).toEqual([]);
  });

  test("every link into troubleshooting.md from the docs and the code names a section that exists", () => {
    const files = [...markdownDocs(), "lib/constructs/replication-alarms.ts"];
    const links = files.flatMap((f) =>
      [...readFileSync(join(root, f), "utf8").matchAll(/troubleshooting\.md#([a-z0-9_-]+)/g)].map((m) => m[1]),
    );
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((anchor) => !anchors.includes(anchor))).toEqual([]);
  });
});
