import { Testing } from "cdktf";
import fc from "fast-check";
import type { ConfigInput } from "../lib/config/schema";
import { escapeTemplateText, mapStrings, unescapeTemplateText } from "../lib/terraform-template";
import { ReplicationStack } from "../stacks/replication-stack";
import { foreignTemplateSyntax, oracleFindings } from "./fuzz/config-fuzz";
import { configWith, exampleConfig, modelOf, policyAt, resourceAt, synthStack } from "./helpers/config";

/** Pairs checked with Terraform 1.11.4 (`terraform output` of a .tf.json file): JSON text -> value. */
const TERRAFORM_READS: ReadonlyArray<readonly [string, string]> = [
  ['x$${file("/etc/hostname")}y', 'x${file("/etc/hostname")}y'],
  ["logs$$${$}/", "logs$${$}/"],
  ["%%{ if true }z%%{ endif }", "%{ if true }z%{ endif }"],
  ["$$$${", "$$${"],
  ["a$ b% $$ %% $", "a$ b% $$ %% $"],
];

describe("Terraform template text", () => {
  test.each(TERRAFORM_READS)("reads %j as Terraform does", (text, value) => {
    expect(unescapeTemplateText(text)).toBe(value);
  });

  test.each(TERRAFORM_READS)("escapes %j's value back to text Terraform reads as it", (_, value) => {
    expect(unescapeTemplateText(escapeTemplateText(value))).toBe(value);
    expect(foreignTemplateSyntax(escapeTemplateText(value))).toBeUndefined();
  });

  test("escapes only the sequences Terraform would evaluate", () => {
    expect(escapeTemplateText('logs/${file("/etc/passwd")}/%{x}')).toBe('logs/$${file("/etc/passwd")}/%%{x}');
    expect(escapeTemplateText("a$b%c{d}$")).toBe("a$b%c{d}$");
  });

  test("the oracle finds interpolations and directives, not their escapes or the project's references", () => {
    expect(foreignTemplateSyntax("a${var.x}")).toBe("${var.x}");
    expect(foreignTemplateSyntax("%{ if x }")).toBe("%{ if x }");
    expect(foreignTemplateSyntax("$${x} %%{y} $ % ${aws_iam_role.replication.arn}")).toBeUndefined();
  });

  test("any text survives escaping and Terraform's reading unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("$", "%", "{", "}", "a", "\\") }), fc.string(), (a, b) => {
        for (const text of [a, b, a + b]) {
          expect(unescapeTemplateText(escapeTemplateText(text))).toBe(text);
          expect(foreignTemplateSyntax(escapeTemplateText(text))).toBeUndefined();
        }
      }),
    );
  });
});

describe("config text in the synthesized stack", () => {
  const literal = (value: unknown) => mapStrings(value, unescapeTemplateText);

  /** Free text the loader accepts: NFC, without cdktf's token marker. */
  const freeText = fc
    .string({ unit: fc.oneof(fc.constantFrom("$", "%", "{", "}", "*", "?", "\\", '"'), fc.string({ maxLength: 1 })) })
    .map((t) => t.normalize("NFC"))
    .filter((t) => t.length >= 1 && t.length <= 128 && !/[$#&]\{TfToken\[/.test(t));
  /** Tag text by AWS's rule: letters, digits, spaces and _ . : / = + - @. */
  const tagText = fc
    .string({ unit: fc.constantFrom("a", "Z", "é", "日", "1", " ", "_", ".", ":", "/", "=", "+", "-", "@") })
    .map((t) => t.normalize("NFC"))
    .filter((t) => t.length >= 1 && t.length <= 128 && !t.toLowerCase().startsWith("aws:"));
  /** Prefix text IAM policies can hold (U+0020 to U+00FF), without controls and the soft hyphen, which the loader refuses. */
  const prefixText = fc.string({
    unit: fc.oneof(
      fc.constantFrom("$", "%", "{", "}", "*", "?"),
      fc
        .integer({ min: 0x20, max: 0xff })
        .filter((c) => (c < 0x7f || c > 0x9f) && c !== 0xad)
        .map((c) => String.fromCharCode(c)),
    ),
    minLength: 1,
    maxLength: 40,
  });

  test("reaches AWS exactly as written, and nothing of it is evaluated (property)", () => {
    fc.assert(
      fc.property(
        tagText,
        tagText,
        freeText,
        prefixText,
        freeText,
        (tagKey, tagValue, profile, prefix, conditionValue) => {
          const config = configWith((c: ConfigInput) => {
            c.tags = { [tagKey]: tagValue };
            c.accounts.source.credentials = { profile };
            const rule = c.replications[0].rules[0];
            rule.deleteMarkerReplication = false;
            rule.filter = { prefix, tags: { [tagKey]: tagValue } };
            c.replications[0].destinationPolicies = {
              "my-app-data-backup": {
                additionalStatements: [
                  {
                    Sid: "Extra",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:DeleteObject",
                    Resource: "arn:aws:s3:::my-app-data-backup/*",
                    Condition: { StringNotLike: { "aws:username": conditionValue } },
                  },
                ],
              },
            };
          });
          const { json } = synthStack(config);
          expect(oracleFindings("stack", json)).toEqual([]);
          const read = literal(json) as typeof json;
          const provider = read.provider.aws[0] as { profile: string; default_tags: Array<{ tags: object }> };
          expect(provider.profile).toBe(profile);
          expect(provider.default_tags[0].tags).toMatchObject({ [tagKey]: tagValue });
          const rule = (resourceAt(read, "aws_s3_bucket_replication_configuration.replication") as any).rule[0];
          expect(rule.filter.and.prefix).toBe(prefix);
          expect(rule.filter.and.tags).toEqual({ [tagKey]: tagValue });
          const iamEscaped = prefix.replace(/[$*?]/g, (c) => `\${${c}}`);
          expect(JSON.stringify(policyAt(read, "aws_iam_role_policy.replication"))).toContain(
            JSON.stringify(`arn:aws:s3:::my-app-data-prod/${iamEscaped}*`).slice(1, -1),
          );
          const bucketPolicy = policyAt(read, "aws_s3_bucket_policy.destination_my-app-data-backup");
          expect(bucketPolicy.Statement.find((s) => s.Sid === "Extra")?.Condition).toEqual({
            StringNotLike: { "aws:username": conditionValue },
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  test("keeps IAM policy variables in extra statements for IAM, escaped for Terraform", () => {
    const { json, text } = synthStack(
      configWith((c) => {
        c.replications[0].destinationPolicies = {
          "my-app-data-backup": {
            additionalStatements: [
              {
                Sid: "OwnPrefix",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::444455556666:root" },
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::my-app-data-backup/home/${aws:username}/*",
              },
            ],
          },
        };
      }),
    );
    expect(text).toContain("arn:aws:s3:::my-app-data-backup/home/$${aws:username}/*");
    const policy = policyAt(literal(json) as typeof json, "aws_s3_bucket_policy.destination_my-app-data-backup");
    expect(policy.Statement.find((s) => s.Sid === "OwnPrefix")?.Resource).toBe(
      "arn:aws:s3:::my-app-data-backup/home/${aws:username}/*",
    );
  });

  test("writes IAM's own escape of a $ in a prefix so that Terraform leaves it to IAM", () => {
    const { json } = synthStack(
      configWith((c) => {
        c.replications[0].rules[0].filter = { prefix: "logs$/" };
      }),
    );
    expect(JSON.stringify(resourceAt(json, "aws_iam_role_policy.replication"))).toContain(
      "arn:aws:s3:::my-app-data-prod/logs$${$}/*",
    );
  });

  test("is escaped the same way in the HCL rendering for review", () => {
    const model = modelOf(
      configWith((c) => {
        c.replications[0].rules[0].filter = { prefix: "logs/${path.module}/%{x}" };
      }),
    );
    const stack = new ReplicationStack(Testing.app(), model.replications[0], model);
    const hcl: string = stack.toHclTerraform().hcl;
    expect(hcl).toContain('prefix = "logs/$${path.module}/%%{x}"');
    expect(hcl).not.toContain('"logs/${path.module}');
  });

  test("leaves the project's own references to Terraform", () => {
    const { json } = synthStack(exampleConfig("kms"));
    const alias = Object.values(json.resource.aws_kms_alias)[0] as { target_key_id: string };
    expect(alias.target_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.key_id\}$/);
    expect(oracleFindings("kms", json)).toEqual([]);
  });
});
