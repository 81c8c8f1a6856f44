import { Writable } from "node:stream";
import { stackProgress } from "../../lib/plan/progress";

describe("progress line", () => {
  test("without a terminal, one plain line per change with done, running and failed", () => {
    const lines: string[] = [];
    const progress = stackProgress("plan", 3, { isTTY: false, log: (l) => lines.push(l) });
    progress.update({ stack: "a", state: "started" });
    progress.update({ stack: "b", state: "started" });
    progress.update({ stack: "a", state: "done" });
    progress.update({ stack: "b", state: "failed" });
    progress.update({ stack: "c", state: "skipped" });
    progress.stop();
    expect(lines).toEqual([
      "plan: 0 done, 1 running, 0 failed of 3 (a started)",
      "plan: 0 done, 2 running, 0 failed of 3 (b started)",
      "plan: 1 done, 1 running, 0 failed of 3 (a done)",
      "plan: 1 done, 0 running, 1 failed of 3 (b failed)",
      "plan: 1 done, 0 running, 2 failed of 3 (c skipped)",
    ]);
  });

  test("on a terminal, a bar on the given stream and no plain lines", () => {
    let drawn = "";
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        drawn += chunk.toString();
        callback();
      },
    }) as unknown as NodeJS.WritableStream & { isTTY: boolean; columns: number };
    stream.isTTY = true;
    stream.columns = 200;
    const lines: string[] = [];
    const progress = stackProgress("apply", 2, { isTTY: true, log: (l) => lines.push(l), stream });
    progress.update({ stack: "a", state: "started" });
    progress.update({ stack: "a", state: "done" });
    progress.stop();
    expect(lines).toEqual([]);
    expect(drawn).toContain("1/2 | 1 done, 0 running, 0 failed | a");
  });
});
