// The layer rules of DESIGN.md, checked by dependency-cruiser (.dependency-cruiser.js) on the real
// tree, and shown to catch each kind of backward import on a small tree written for the test.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tempDir } from "./helpers/synth-run";

const ROOT = resolve(__dirname, "..");
const CRUISER = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const CONFIG = join(ROOT, ".dependency-cruiser.js");

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** The violations, and how many modules were read: a cruise that read nothing proves nothing. */
function cruise(cwd: string, paths: string[]): { modules: number; violations: string[] } {
  const result = spawnSync(process.execPath, [CRUISER, "--config", CONFIG, "--output-type", "json", ...paths], {
    cwd,
    encoding: "utf8",
  });
  if (result.status !== 0 || !result.stdout) throw new Error(`dependency-cruiser failed: ${result.stderr}`);
  const summary = JSON.parse(result.stdout).summary;
  return {
    modules: summary.totalCruised as number,
    violations: (summary.violations as Violation[]).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort(),
  };
}

describe("dependency rules", () => {
  it("hold for lib/, stacks/ and main.ts", () => {
    const result = cruise(ROOT, ["lib", "stacks", "main.ts"]);
    expect(result.violations).toEqual([]);
    expect(result.modules).toBeGreaterThan(150);
  });

  it("catch config reaching policies, stacks or constructs, policies reaching constructs, preflight reaching the builders, plan reaching constructs", () => {
    // GIVEN a tree with one backward import of each kind (one of them through a module in between)
    const dir = tempDir();
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "commonjs", strict: true } }),
      "lib/config/model-checks.ts":
        'import { rolePolicy } from "../policies/role-policy";\nexport const x = rolePolicy;\n',
      "lib/config/app-ref.ts": 'import { between } from "../between";\nexport const y = between;\n',
      "lib/between.ts": 'import { stack } from "../stacks/replication-stack";\nexport const between = stack;\n',
      "stacks/replication-stack.ts": "export const stack = 1;\n",
      "lib/policies/role-policy.ts":
        'import { wiring } from "../constructs/wiring";\nexport const rolePolicy = wiring;\n',
      "lib/constructs/wiring.ts": "export const wiring = 1;\n",
      "lib/perms.ts": "export const ACTIONS = [];\n",
      "lib/preflight/check.ts": 'import { ACTIONS } from "../perms";\nexport const check = ACTIONS;\n',
      "lib/plan/summary.ts": 'import { wiring } from "../constructs/wiring";\nexport const summary = wiring;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    // WHEN the rules run on it
    const result = cruise(dir, ["lib", "stacks"]);
    // THEN each backward import is named by its rule
    expect(result.violations).toEqual([
      "config-stays-below-policies: lib/config/app-ref.ts -> stacks/replication-stack.ts",
      "config-stays-below-policies: lib/config/model-checks.ts -> lib/constructs/wiring.ts",
      "config-stays-below-policies: lib/config/model-checks.ts -> lib/policies/role-policy.ts",
      "plan-reads-json-not-constructs: lib/plan/summary.ts -> lib/constructs/wiring.ts",
      "policies-stay-pure: lib/policies/role-policy.ts -> lib/constructs/wiring.ts",
      "preflight-has-its-own-statement: lib/preflight/check.ts -> lib/perms.ts",
    ]);
    expect(result.modules).toBe(9);
  });
});
