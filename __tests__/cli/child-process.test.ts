import { runChild } from "../../lib/cli/child-process";

describe("a child process", () => {
  test("gets its input on stdin, and what it prints and its exit code come back", async () => {
    const echo =
      "process.stdin.pipe(process.stdout); process.stdin.on('end', () => { console.error('done'); process.exitCode = 3; })";
    expect(await runChild(process.execPath, ["-e", echo], { input: "body\n" })).toEqual({
      code: 3,
      stdout: "body\n",
      stderr: "done\n",
    });
  });

  test("that cannot start exits 127 with the reason", async () => {
    const result = await runChild("no-such-command-here", []);
    expect([result.code, result.stderr]).toEqual([127, "no-such-command-here: spawn no-such-command-here ENOENT"]);
  });
});
