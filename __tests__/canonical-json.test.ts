import { sortedKeysJson } from "../lib/canonical-json";

describe("sortedKeysJson", () => {
  test("sorts object keys at every depth and keeps every array's order", () => {
    expect(sortedKeysJson({ b: 1, a: { d: [3, 1, { z: 0, y: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,1,{"y":0,"z":0}]},"b":1}',
    );
  });

  test("gives documents that differ only in key order the same text, and others not", () => {
    const live = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole" }] };
    const declared = { Statement: [{ Action: "sts:AssumeRole", Effect: "Allow" }], Version: "2012-10-17" };
    expect(sortedKeysJson(live)).toBe(sortedKeysJson(declared));
    expect(sortedKeysJson({ a: [1, 2] })).not.toBe(sortedKeysJson({ a: [2, 1] }));
  });

  test("indents when asked, leaves out undefined like JSON.stringify, and sorts by code unit", () => {
    expect(sortedKeysJson({ b: [1], a: undefined, B: "x" }, 2)).toBe('{\n  "B": "x",\n  "b": [\n    1\n  ]\n}');
    expect(sortedKeysJson("text")).toBe('"text"');
    expect(sortedKeysJson(undefined)).toBeUndefined();
  });
});
