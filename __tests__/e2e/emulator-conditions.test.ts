// The emulator's IAM condition evaluation (emulator/iam_conditions.py and its patch of moto), by its
// Python tests: offline, about a second. A wrong evaluation would make the end-to-end test's Deny
// statements vanish or appear.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const EMULATOR_DIR = join(__dirname, "emulator");

describe("the emulator's condition evaluation", () => {
  it("passes its Python tests (negated operators on missing keys, IfExists, Null, unsupported operators named)", () => {
    const result = spawnSync("python3", ["-m", "unittest", "discover", "-s", EMULATOR_DIR, "-p", "test_*.py"], {
      cwd: EMULATOR_DIR,
      encoding: "utf8",
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    if (result.error) throw new Error(`python3 could not run (the end-to-end test needs it too): ${result.error}`);
    const output = `${result.stdout}${result.stderr}`;
    expect({ status: result.status, output }).toEqual({ status: 0, output: expect.stringMatching(/^OK$/m) });
    expect(output).toMatch(/^Ran 16 tests in /m);
  });
});
