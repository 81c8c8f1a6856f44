import { existsSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { headingAnchors, linkTargets, markdownDocs, readDoc } from "./helpers/markdown-docs";

const root = process.cwd();
const docs = markdownDocs();

describe("links in the docs", () => {
  test("the docs are found", () => {
    expect(docs).toEqual(expect.arrayContaining(["README.md", "CONTRIBUTING.md", "docs/config-reference.md"]));
    expect(docs.length).toBeGreaterThan(20);
  });

  test.each(docs)("%s: every relative link names a file that exists, and every #anchor a heading in it", (file) => {
    const broken = linkTargets(readDoc(file))
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => {
        const [path, anchor] = target.split("#");
        const dest = path === "" ? file : normalize(join(dirname(file), decodeURI(path)));
        if (!existsSync(join(root, dest))) return true;
        if (anchor === undefined) return false;
        if (statSync(join(root, dest)).isDirectory() || !dest.endsWith(".md")) return true;
        return !headingAnchors(readDoc(dest)).includes(anchor);
      });
    expect(broken).toEqual([]);
  });
});

describe("GitHub's anchors", () => {
  test("drop punctuation and code marks, keep letters, digits, _ and -, and number repeats", () => {
    expect(
      headingAnchors(
        [
          "# Config reference",
          "## Preflight: prove the policies before any plan",
          '## "Versioning must be enabled" error',
          "## `npm run plan`",
          "### A bucket's default encryption differs_from the config",
          "## Config reference",
          "```sh",
          "# not a heading",
          "```",
        ].join("\n"),
      ),
    ).toEqual([
      "config-reference",
      "preflight-prove-the-policies-before-any-plan",
      "versioning-must-be-enabled-error",
      "npm-run-plan",
      "a-buckets-default-encryption-differs_from-the-config",
      "config-reference-1",
    ]);
  });
});
