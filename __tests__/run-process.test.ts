import { runProcess } from "../lib/run-process";

const node = process.execPath;

describe("runProcess", () => {
  test("keeps stdout and stderr apart and answers the exit code", async () => {
    const result = await runProcess(node, [
      "-e",
      'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)',
    ]);
    expect([result.code, result.stdout, result.stderr]).toEqual([3, "out", "err"]);
    expect(result.seconds).toBeGreaterThan(0);
  });

  test("runs in the given directory with exactly the given environment, and writes the input", async () => {
    const script =
      'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(process.cwd(), process.env.ONLY, process.env.HOME, s))';
    const result = await runProcess(node, ["-e", script], { cwd: "/", env: { ONLY: "this" }, input: "typed" });
    expect(result.stdout).toBe("/ this undefined typed\n");
  });

  test("closes stdin when there is no input, so a command that reads it is not left waiting", async () => {
    const script = 'process.stdin.resume().on("end", () => console.log("end of input"))';
    expect((await runProcess(node, ["-e", script])).stdout).toBe("end of input\n");
  });

  test("answers 127 with the reason when the command cannot start", async () => {
    const result = await runProcess("no-such-command-here", [], { input: "" });
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/^no-such-command-here: spawn no-such-command-here ENOENT/);
  });
});
