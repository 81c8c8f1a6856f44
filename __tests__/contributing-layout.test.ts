/**
 * CONTRIBUTING.md's layout is true to the tree: it names every top-level folder, every file and
 * folder in lib/ and stacks/, and every folder in __tests__/, and names nothing that is not there.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sectionOf } from "./helpers/markdown-docs";

const root = process.cwd();

/** What git ignores at the top level (.gitignore's patterns), and git's own folder. */
function ignoredAtTop(): RegExp[] {
  const patterns = readFileSync(join(root, ".gitignore"), "utf8")
    .split("\n")
    .map((line) => line.trim().replace(/\/$/, ""))
    .filter((line) => line && !line.startsWith("#"));
  return [".git", ...patterns].map(
    (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
  );
}

/** The entries of a folder, folders written with a trailing `/`. */
function entries(folder: string, only?: "folders"): string[] {
  return readdirSync(join(root, folder))
    .filter((name) => !ignoredAtTop().some((pattern) => pattern.test(name)))
    .map((name) => (statSync(join(root, folder, name)).isDirectory() ? `${name}/` : name))
    .filter((name) => only !== "folders" || name.endsWith("/"))
    .map((name) => (folder === "." ? name : `${folder}/${name}`));
}

/** The paths the layout block names: the first word of each line that does not start with a space. */
function namedPaths(): string[] {
  const section = sectionOf("CONTRIBUTING.md", "## Layout");
  const block = /\n```\n([\s\S]*?)\n```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .filter((line) => line && !line.startsWith(" "))
    .map((line) => line.split(/\s+/)[0]);
}

describe("CONTRIBUTING.md's layout", () => {
  const named = namedPaths();

  test("names every top-level folder, lib/ and stacks/ entry and __tests__/ folder", () => {
    const tree = [
      ...entries(".", "folders"),
      ...entries("lib"),
      ...entries("stacks"),
      ...entries("__tests__", "folders"),
    ];
    expect(tree.length).toBeGreaterThan(40);
    expect(tree.filter((path) => !named.includes(path))).toEqual([]);
  });

  test("names nothing that does not exist", () => {
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });
});
