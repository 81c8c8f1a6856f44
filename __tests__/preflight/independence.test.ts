/**
 * Preflight proves the policies against its own statement of what S3 sends
 * (lib/preflight/what-s3-sends.ts). If it read the builders' action lists or condition keys, a
 * wrong constant would fool both: so nothing under lib/preflight/ may reach lib/policies/ or
 * lib/perms.ts, directly or through another module of lib/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = process.cwd();
const FORBIDDEN = [/^lib\/policies\//, /^lib\/perms\.ts$/];

/** Every TypeScript file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The project files `file` imports (relative specifiers of import, export-from, import() and require). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [
    ...text.matchAll(/\bfrom\s+["']([^"']+)["']/g),
    ...text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']/g),
    ...text.matchAll(/\brequire\s*\(\s*["']([^"']+)["']/g),
    ...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
  ].map((m) => m[1]);
  return specifiers
    .filter((s) => s.startsWith("."))
    .map((s) => resolve(dirname(file), s))
    .map((base) => [`${base}.ts`, join(base, "index.ts"), base].find((p) => existsSync(p) && statSync(p).isFile()))
    .filter((p): p is string => p !== undefined);
}

/** Every path from a file under lib/preflight/ to a forbidden module, as "a -> b -> c". */
function forbiddenPaths(): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, path: string[]) => {
    const name = relative(ROOT, file);
    if (FORBIDDEN.some((f) => f.test(name))) {
      found.push([...path, name].join(" -> "));
      return;
    }
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of importsOf(file)) walk(next, [...path, name]);
  };
  for (const file of filesUnder(join(ROOT, "lib/preflight"))) walk(file, []);
  return found;
}

describe("preflight's independence from the policy builders", () => {
  test("reads the import lines of lib/preflight/**", () => {
    const files = filesUnder(join(ROOT, "lib/preflight"));
    expect(files.length).toBeGreaterThan(10);
    expect(importsOf(join(ROOT, "lib/preflight/run-preflight.ts")).map((f) => relative(ROOT, f))).toContain(
      "lib/preflight/replication-requests.ts",
    );
  });

  test("nothing under lib/preflight/ imports lib/policies/ or lib/perms.ts, directly or transitively", () => {
    expect(forbiddenPaths()).toEqual([]);
  });
});
