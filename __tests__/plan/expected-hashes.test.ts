/**
 * The plan job's hashes, as `apply` receives them (--plan-hashes or
 * REPLICATION_REVIEWED_PLAN_HASHES): one object of stack -> hashes from `npm run plan`, or the
 * outputs of several plan jobs (`toJSON(needs.plan.outputs)`), each a JSON string of the same,
 * with an empty string for a job that planned nothing. Anything else is refused, not read as
 * "no reviewed plans".
 */
import { parseExpectedHashes } from "../../lib/plan/apply";

const hashes = (n: number) => ({ plan: `plan-${n}`, lock: `lock-${n}`, record: `record-${n}` });

describe("the plan job's hashes", () => {
  test("one object of stack -> hashes", () => {
    expect(parseExpectedHashes(JSON.stringify({ "replication-a": hashes(1) }))).toEqual({
      "replication-a": hashes(1),
    });
  });

  test("several plan jobs' outputs merge, and a job that planned nothing is skipped", () => {
    const outputs = {
      "hashes-0": JSON.stringify({ "replication-a": hashes(1) }),
      "hashes-1": "",
      "hashes-2": JSON.stringify({ "replication-b": hashes(2), "replication-c": hashes(3) }),
    };
    expect(parseExpectedHashes(JSON.stringify(outputs))).toEqual({
      "replication-a": hashes(1),
      "replication-b": hashes(2),
      "replication-c": hashes(3),
    });
  });

  test.each(["null", "3", '"text"'])("refuses %s: not an object of stacks", (text) => {
    expect(() => parseExpectedHashes(text)).toThrow("not an object of stacks");
  });

  test("refuses a stack whose hashes lack one of plan, lock and record", () => {
    const { record: _, ...noRecord } = hashes(1);
    expect(() => parseExpectedHashes(JSON.stringify({ "replication-a": noRecord }))).toThrow(
      "replication-a: not the hashes of a plan",
    );
  });

  test("refuses a hash that is not a string", () => {
    expect(() => parseExpectedHashes(JSON.stringify({ "replication-a": { ...hashes(1), plan: 7 } }))).toThrow(
      "replication-a: not the hashes of a plan",
    );
    expect(() => parseExpectedHashes(JSON.stringify({ "replication-a": null }))).toThrow(
      "replication-a: not the hashes of a plan",
    );
  });
});
