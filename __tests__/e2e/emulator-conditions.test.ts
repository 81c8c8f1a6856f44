// The emulator's IAM evaluation (emulator/iam_conditions.py, iam_evaluation.py and their patch of
// moto), by their Python tests: offline, about a second. A wrong evaluation would make the
// end-to-end test's Deny statements vanish or appear. The replication tests (test_replication.py,
// about 7 s with moto's in-process mock) run at the start of `npm run test:e2e` instead.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const EMULATOR_DIR = join(__dirname, "emulator");

describe("the emulator's IAM evaluation", () => {
  it("passes its Python tests (conditions, set operators, policy variables, how policies combine, unsupported operators named)", () => {
    const result = spawnSync(
      "python3",
      ["-m", "unittest", "discover", "-s", EMULATOR_DIR, "-p", "test_aws_emulator.py"],
      {
        cwd: EMULATOR_DIR,
        encoding: "utf8",
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
      },
    );
    if (result.error) throw new Error(`python3 could not run (the end-to-end test needs it too): ${result.error}`);
    const output = `${result.stdout}${result.stderr}`;
    expect({ status: result.status, output }).toEqual({ status: 0, output: expect.stringMatching(/^OK$/m) });
    expect(output).toMatch(/^Ran 28 tests in /m);
  });
});
