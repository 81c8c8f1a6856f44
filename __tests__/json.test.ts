import { isJsonObject, objectAt, objectsAt, statementsOf, stringAt, stringsAt, valueAt } from "../lib/json";

describe("reading parsed JSON", () => {
  const policy = JSON.parse(
    '{"Statement":[{"Sid":"A","Action":"s3:GetObject","Condition":{"StringEquals":{"k":["x",1,"y"]}}},"junk",null]}',
  );

  test("an object is neither null nor a list", () => {
    expect([{}, [], null, "x", 1].map(isJsonObject)).toEqual([true, false, false, false, false]);
  });

  test("objectAt answers only an object field of an object", () => {
    expect(objectAt({ a: { b: 1 } }, "a")).toEqual({ b: 1 });
    expect([objectAt({ a: [1] }, "a"), objectAt({ a: "s" }, "a"), objectAt("s", "a"), objectAt(null, "a")]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test("valueAt follows keys through objects and stops where they end", () => {
    expect(valueAt(policy, "Statement")).toHaveLength(3);
    expect(valueAt({ a: { b: { c: 3 } } }, "a", "b", "c")).toBe(3);
    expect(valueAt({ a: { b: "text" } }, "a", "b", "length")).toBeUndefined();
    expect(valueAt({ a: 1 }, "a", "b")).toBeUndefined();
    expect([valueAt({}, "constructor"), objectAt({}, "__proto__"), stringsAt({}, "toString")]).toEqual([
      undefined,
      undefined,
      [],
    ]);
  });

  test("stringsAt reads one string or a list of them, and nothing else", () => {
    const [statement] = statementsOf(policy);
    expect(stringsAt(statement, "Action")).toEqual(["s3:GetObject"]);
    expect(stringsAt(statement, "Condition", "StringEquals", "k")).toEqual(["x", "y"]);
    expect(stringsAt(statement, "Resource")).toEqual([]);
  });

  test("statementsOf takes a single statement or a list, and leaves out what is no statement", () => {
    expect(statementsOf(policy).map((s) => s.Sid)).toEqual(["A"]);
    expect(statementsOf({ Statement: { Sid: "one" } })).toEqual([{ Sid: "one" }]);
    expect([statementsOf({}), statementsOf(undefined), statementsOf("policy")]).toEqual([[], [], []]);
  });

  test("stringAt answers only a string", () => {
    expect(stringAt({ a: { b: "x" } }, "a", "b")).toBe("x");
    expect([stringAt({ a: 1 }, "a"), stringAt({ a: ["x"] }, "a"), stringAt({}, "a"), stringAt("x")]).toEqual([
      undefined,
      undefined,
      undefined,
      "x",
    ]);
    expect(stringAt({}, "constructor")).toBeUndefined();
  });

  test("objectsAt reads the objects of a list, and nothing from what is no list", () => {
    expect(objectsAt({ a: { b: [{ c: 1 }, "x", null, [2], { d: 2 }] } }, "a", "b")).toEqual([{ c: 1 }, { d: 2 }]);
    expect([
      objectsAt({ a: { c: 1 } }, "a"),
      objectsAt({ a: "x" }, "a"),
      objectsAt({}, "a"),
      objectsAt(null, "a"),
    ]).toEqual([[], [], [], []]);
    expect(objectsAt([{ a: 1 }])).toEqual([{ a: 1 }]);
  });
});
