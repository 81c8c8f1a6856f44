import { statementsOf } from "../../lib/json";
import { resolveColonContextKeys } from "../../lib/preflight/colon-context-keys";

const CONTEXT = "kms:EncryptionContext:aws:s3:arn";
const policy = (condition: Record<string, Record<string, string | string[]>>) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: condition }],
});

describe("colon-named KMS context keys", () => {
  test("drops a StringLike condition that holds, keeping the others for the simulator", () => {
    const resolved = resolveColonContextKeys(
      policy({
        StringLike: { [CONTEXT]: ["arn:aws:s3:::b/logs/*", "arn:aws:s3:::b"] },
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
      }),
      { [CONTEXT]: "arn:aws:s3:::b/logs/x.txt" },
    );
    expect(resolved.Statement).toEqual([
      {
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
  });

  test("drops the statement when the condition does not hold", () => {
    const resolved = resolveColonContextKeys(policy({ StringLike: { [CONTEXT]: "arn:aws:s3:::b/logs/*" } }), {
      [CONTEXT]: "arn:aws:s3:::b/images/x.txt",
    });
    expect(resolved.Statement).toEqual([]);
  });

  test("matches case-sensitively, with ? as one character", () => {
    const resolve = (value: string) =>
      statementsOf(
        resolveColonContextKeys(policy({ StringLike: { [CONTEXT]: "arn:aws:s3:::b/a?c" } }), { [CONTEXT]: value }),
      ).length;
    expect([resolve("arn:aws:s3:::b/abc"), resolve("arn:aws:s3:::b/ABC"), resolve("arn:aws:s3:::b/abbc")]).toEqual([
      1, 0, 0,
    ]);
  });

  test("handles StringEquals, the negated operators and IfExists", () => {
    const count = (operator: string, value?: string) =>
      statementsOf(
        resolveColonContextKeys(
          policy({ [operator]: { [CONTEXT]: "arn:aws:s3:::b" } }),
          value ? { [CONTEXT]: value } : {},
        ),
      ).length;
    expect(count("StringEquals", "arn:aws:s3:::b")).toBe(1);
    expect(count("StringNotEquals", "arn:aws:s3:::b")).toBe(0);
    expect(count("StringNotLike", "arn:aws:s3:::c")).toBe(1);
    expect(count("StringEquals")).toBe(0);
    expect(count("StringEqualsIfExists")).toBe(1);
  });

  test("leaves operators it does not handle to the simulator", () => {
    const original = policy({ ArnLike: { [CONTEXT]: "arn:aws:s3:::b" } });
    expect(resolveColonContextKeys(original, { [CONTEXT]: "arn:aws:s3:::b" })).toEqual(original);
  });
});

describe("IAM's special-character variables", () => {
  test("${*} and ${?} match the literal characters, not wildcards", () => {
    const count = (value: string) =>
      statementsOf(
        resolveColonContextKeys(policy({ StringLike: { [CONTEXT]: "arn:aws:s3:::b/a${*}b${?}/*" } }), {
          [CONTEXT]: value,
        }),
      ).length;
    expect(count("arn:aws:s3:::b/a*b?/x.txt")).toBe(1);
    expect(count("arn:aws:s3:::b/aXXbY/x.txt")).toBe(0);
  });
});
