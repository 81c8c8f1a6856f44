import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initGate, LOCK_FILE, pluginCacheDir } from "../../lib/plan/plugin-cache";
import { tempDir } from "../helpers/synth-run";

function stacks(names: string[]) {
  const root = tempDir();
  for (const name of names) mkdirSync(join(root, name));
  return { root, dirOf: (stack: string) => join(root, stack) };
}

describe("provider plugin cache", () => {
  test("is TF_PLUGIN_CACHE_DIR when set, else .terraform/plugin-cache in the project, and exists", () => {
    const cwd = tempDir();
    expect(pluginCacheDir({}, cwd)).toBe(join(cwd, ".terraform", "plugin-cache"));
    expect(existsSync(join(cwd, ".terraform", "plugin-cache"))).toBe(true);
    expect(pluginCacheDir({ TF_PLUGIN_CACHE_DIR: "shared" }, cwd)).toBe(join(cwd, "shared"));
  });

  test("runs the first init alone, then the rest concurrently with its lock file", async () => {
    const { dirOf } = stacks(["a", "b", "c"]);
    const gate = initGate(dirOf);
    const events: string[] = [];
    const init = (stack: string) => async () => {
      events.push(`start ${stack}`);
      await new Promise((r) => setTimeout(r, 5));
      if (stack === "a") writeFileSync(join(dirOf("a"), LOCK_FILE), "# lock a");
      events.push(`end ${stack}`);
    };
    await Promise.all(["a", "b", "c"].map((s) => gate(s, init(s))));
    expect(events.slice(0, 2)).toEqual(["start a", "end a"]);
    expect(events.indexOf("start c")).toBeLessThan(events.indexOf("end b"));
    expect(readFileSync(join(dirOf("b"), LOCK_FILE), "utf8")).toBe("# lock a");
    expect(readFileSync(join(dirOf("c"), LOCK_FILE), "utf8")).toBe("# lock a");
  });

  test("keeps inits one at a time until one has succeeded", async () => {
    const { dirOf } = stacks(["a", "b", "c"]);
    const gate = initGate(dirOf);
    const events: string[] = [];
    const init = (stack: string) => async () => {
      events.push(`start ${stack}`);
      await new Promise((r) => setTimeout(r, 5));
      events.push(`end ${stack}`);
      if (stack === "a") throw new Error("backend unreachable");
      writeFileSync(join(dirOf(stack), LOCK_FILE), `# lock ${stack}`);
    };
    const results = await Promise.allSettled(["a", "b", "c"].map((s) => gate(s, init(s))));
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(events.slice(0, 4)).toEqual(["start a", "end a", "start b", "end b"]);
  });

  test("leaves a stack's own lock file alone", async () => {
    const { dirOf } = stacks(["a", "b"]);
    writeFileSync(join(dirOf("b"), LOCK_FILE), "# lock b");
    const gate = initGate(dirOf);
    await gate("a", async () => writeFileSync(join(dirOf("a"), LOCK_FILE), "# lock a"));
    await gate("b", async () => {});
    expect(readFileSync(join(dirOf("b"), LOCK_FILE), "utf8")).toBe("# lock b");
  });
});
