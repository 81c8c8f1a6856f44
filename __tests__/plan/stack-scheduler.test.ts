import { runStacks } from "../../lib/plan/stack-scheduler";

/** A task that records when stacks start and end, finishing when the test releases it. */
function recorder() {
  const events: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const task = async (stack: string) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    events.push(`start ${stack}`);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    events.push(`end ${stack}`);
    if (stack.startsWith("bad")) throw new Error(`${stack} broke`);
    return stack.toUpperCase();
  };
  return { events, task, max: () => maxRunning };
}

describe("stack scheduler", () => {
  test("runs independent stacks concurrently, never more than the bound", async () => {
    const r = recorder();
    const outcomes = await runStacks({
      stacks: ["a", "b", "c", "d", "e"],
      dependenciesOf: () => [],
      concurrency: 2,
      skipAfterFailure: false,
      task: r.task,
    });
    expect(r.max()).toBe(2);
    expect([...outcomes.values()].every((o) => o.status === "done")).toBe(true);
    expect(outcomes.get("c")).toEqual({ status: "done", value: "C" });
  });

  test("starts a stack only after the stacks it depends on have finished", async () => {
    const r = recorder();
    await runStacks({
      stacks: ["a", "b", "c"],
      dependenciesOf: (s) => (s === "b" ? ["a"] : []),
      concurrency: 3,
      skipAfterFailure: false,
      task: r.task,
    });
    expect(r.events.indexOf("start b")).toBeGreaterThan(r.events.indexOf("end a"));
    expect(r.events.indexOf("start c")).toBeLessThan(r.events.indexOf("end a"));
  });

  test("ignores dependencies outside the run", async () => {
    const r = recorder();
    const outcomes = await runStacks({
      stacks: ["b"],
      dependenciesOf: () => ["a"],
      concurrency: 1,
      skipAfterFailure: true,
      task: r.task,
    });
    expect(outcomes.get("b")?.status).toBe("done");
  });

  test("skips the stacks after a failed one when asked, and runs the rest", async () => {
    const r = recorder();
    const changes: string[] = [];
    const outcomes = await runStacks({
      stacks: ["bad-a", "b", "c"],
      dependenciesOf: (s) => (s === "b" ? ["bad-a"] : []),
      concurrency: 2,
      skipAfterFailure: true,
      task: r.task,
      onChange: ({ stack, state }) => changes.push(`${stack} ${state}`),
    });
    expect(outcomes.get("bad-a")).toEqual({ status: "failed", error: new Error("bad-a broke") });
    expect(outcomes.get("b")).toEqual({ status: "skipped", reason: "bad-a did not complete" });
    expect(outcomes.get("c")?.status).toBe("done");
    expect(changes).toContain("b skipped");
    expect(r.events).not.toContain("start b");
  });

  test("still runs the dependents of a failed stack when failures do not block (plans)", async () => {
    const r = recorder();
    const outcomes = await runStacks({
      stacks: ["bad-a", "b"],
      dependenciesOf: (s) => (s === "b" ? ["bad-a"] : []),
      concurrency: 2,
      skipAfterFailure: false,
      task: r.task,
    });
    expect(outcomes.get("b")?.status).toBe("done");
  });

  test("refuses a bound below one", async () => {
    await expect(
      runStacks({ stacks: [], dependenciesOf: () => [], concurrency: 0, skipAfterFailure: false, task: async () => 1 }),
    ).rejects.toThrow("concurrency must be 1 or more");
  });
});
