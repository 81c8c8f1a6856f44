/**
 * Hostile and malformed config files, class by class: each is refused with a path-named message
 * (asserted word for word) and leaves a previous synth's output untouched, or, where the input
 * is legal, synthesizes the stack AWS expects.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigInput } from "../../lib/config/schema";
import { configWith, exampleConfig, guideConfig, policyAt, resourceAt, synthStack } from "../helpers/config";
import { synthRun, tempDir, tree, writeConfig } from "../helpers/synth-run";

const guideText = JSON.stringify(guideConfig(), null, 2);

/**
 * Synthesizes the guide's config, then `content` into the same output directory: asserts that
 * the second run is refused and changes nothing, and returns its problem lines.
 */
function refused(content: ConfigInput | string | Buffer): string[] {
  const dir = tempDir();
  const outdir = join(dir, "cdktf.out");
  expect(synthRun(writeConfig(guideConfig(), dir), outdir).code).toBe(0);
  const before = tree(outdir);
  const file = join(dir, "config.json");
  writeFileSync(file, typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  const run = synthRun(file, outdir);
  expect(run.code).toBe(1);
  expect(run.stdout).toEqual([]);
  expect(tree(outdir)).toEqual(before);
  const [summary, ...problems] = run.stderr.join("\n").split("\n");
  expect(summary).toMatch(/config\.json: \d+ problems?; nothing was synthesized\.$/);
  expect(run.stderr.join("\n")).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return problems;
}

/** The warnings a synth that succeeds prints. */
function warningsOf(config: ConfigInput): string[] {
  const run = synthRun(writeConfig(config));
  expect(run.code).toBe(0);
  return run.stderr.map((line) => line.replace(/^.*config\.json: warning: /, ""));
}

describe("hostile config input", () => {
  describe("text that Terraform or cdktf would evaluate", () => {
    test("refuses cdktf's token marker, which cdktf would replace with one of its own values", () => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].rules[0].filter = { prefix: "${TfToken[TOKEN.1]}" };
          }),
        ),
      ).toEqual([
        '  - replications[0].rules[0].filter.prefix: the text holds "${TfToken[", which the CDK for Terraform reserves for its own references: remove it',
      ]);
    });

    test("refuses text Terraform would change to Unicode normalization form C", () => {
      expect(
        refused(
          configWith((c) => {
            c.tags = { team: "\uFB1D" };
          }),
        ),
      ).toEqual([
        "  - tags.team: the text is not in Unicode normalization form C, and Terraform would change it to that form before it reaches AWS: save it normalized (NFC)",
      ]);
    });

    test("writes a prefix that reads a file in a template as literal text", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.replications[0].rules[0].filter = { prefix: 'logs/${file("/etc/passwd")}/' };
        }),
      );
      const rule = (resourceAt(json, "aws_s3_bucket_replication_configuration.replication") as any).rule[0];
      expect(rule.filter.prefix).toBe('logs/$${file("/etc/passwd")}/');
    });
  });

  describe("JavaScript's own property names", () => {
    test("refuses an account named constructor, declared or referenced", () => {
      expect(
        refused(
          configWith((c) => {
            Object.defineProperty(c.accounts, "constructor", {
              enumerable: true,
              value: {
                accountId: "444455556666",
                region: "us-west-2",
                credentials: { profile: "p" },
              },
            });
            c.replications[0].rules[0].destination.account = "constructor";
          }),
        ),
      ).toEqual([
        "  - accounts.constructor: is a name every JavaScript object already has: choose another account name",
        "  - replications[0].rules[0].destination.account: is a name every JavaScript object already has: choose another account name",
      ]);
    });

    test("refuses __proto__ as a tag key and as a key in a policy statement", () => {
      const text = guideText
        .replace('"backend":', '"tags": { "__proto__": "x" }, "backend":')
        .replace(
          '"rules":',
          '"destinationPolicies": { "my-app-data-backup": { "additionalStatements": [ { "Effect": "Deny", "__proto__": {} } ] } }, "rules":',
        );
      expect(refused(text)).toEqual([
        '  - tags.__proto__: cannot be a key: JavaScript treats "__proto__" as an object\'s prototype; rename or remove it',
        '  - replications[0].destinationPolicies["my-app-data-backup"].additionalStatements[0].__proto__: cannot be a key: JavaScript treats "__proto__" as an object\'s prototype; rename or remove it',
      ]);
    });

    test("keeps the extra statements of a destination bucket named constructor", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.replications[0].rules[0].destination.bucket = "constructor";
          c.replications[0].destinationPolicies = {
            constructor: {
              additionalStatements: [{ Sid: "Kept", Effect: "Deny" as const, Principal: "*", Action: "s3:*" }],
            },
          };
        }),
      );
      const policy = policyAt(json, "aws_s3_bucket_policy.destination_constructor");
      expect(policy.Statement.map((s) => s.Sid)).toContain("Kept");
    });
  });

  test("refuses a key written twice in one object, naming it", () => {
    const text = guideText.replace(
      '"bucket": "my-terraform-state",',
      '"bucket": "other-state", "bucket": "my-terraform-state",',
    );
    expect(refused(text)).toEqual([
      "  - backend.bucket: is written twice in one object: JSON keeps only the last, so the first would be ignored; remove one",
    ]);
  });

  test("refuses nesting deeper than 32 levels, at any depth, without reading further", () => {
    const deep = `${"[".repeat(7_000)}${"]".repeat(7_000)}`;
    const text = guideText.replace(
      '"rules":',
      `"destinationPolicies": { "my-app-data-backup": { "additionalStatements": [ { "Effect": "Deny", "Condition": ${deep} } ] } }, "rules":`,
    );
    expect(refused(text)).toEqual([
      `  - replications[0].destinationPolicies["my-app-data-backup"].additionalStatements[0].Condition${"[0]".repeat(25)}: is nested more than 32 levels deep: no setting needs that many (a policy condition is about 10 levels down); flatten it`,
    ]);
  });

  describe("values AWS or Terraform would refuse", () => {
    test("warns about a Region this version does not list, naming it, and synthesizes", () => {
      expect(
        warningsOf(
          configWith((c) => {
            c.accounts.backup.region = "us-east-9";
          }),
        ),
      ).toEqual([
        `accounts.backup.region: Region "us-east-9" is not one this version knows: check the spelling; if AWS opened it after this release, Terraform's AWS provider must know it too`,
      ]);
    });

    test.each([
      ["us-iso-east-1", "aws-iso"],
      ["us-isob-east-1", "aws-iso-b"],
      ["eu-isoe-west-1", "aws-iso-e"],
      ["us-isof-south-1", "aws-iso-f"],
    ])("writes %s ARNs in partition %s", (region, partition) => {
      const { json } = synthStack(
        configWith((c) => {
          c.backend = { type: "local" };
          c.accounts.source.region = region;
          c.accounts.backup.region = region;
        }),
      );
      expect(resourceAt(json, "aws_s3_bucket_replication_configuration.replication")).toMatchObject({
        role: `arn:${partition}:iam::111122223333:role/s3-replication-my-app-data-prod`,
      });
    });

    test("refuses tags outside AWS's rule for tags, which every tagged resource would refuse", () => {
      expect(
        refused(
          configWith((c) => {
            c.tags = { "team${x}": "ok", "aws:owner": "x", team: "a%{b}" };
          }),
        ),
      ).toEqual([
        '  - tags["team${x}"]: may hold only letters, digits, spaces and _ . : / = + - @ (AWS\'s rule for tags)',
        '  - tags["aws:owner"]: "aws:" is reserved for AWS\'s own tags',
        "  - tags.team: may hold only letters, digits, spaces and _ . : / = + - @ (AWS's rule for tags)",
      ]);
    });

    test("refuses a priority above 2^31-1", () => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].rules[0].priority = 2 ** 31;
          }),
        ),
      ).toEqual([
        "  - replications[0].rules[0].priority: must be at most 2147483647 (2^31-1), the largest priority S3 accepts",
      ]);
    });

    test.each([
      ["/state", 'must not start or end with "/": state keys are <keyPrefix>/<stack>/terraform.tfstate'],
      ["state/", 'must not start or end with "/": state keys are <keyPrefix>/<stack>/terraform.tfstate'],
      [
        "a/../state",
        'must not hold an empty, "." or ".." segment: S3 keeps them literally, so the state key is not where it looks',
      ],
      [
        "a//state",
        'must not hold an empty, "." or ".." segment: S3 keeps them literally, so the state key is not where it looks',
      ],
    ])("refuses the backend key prefix %j", (keyPrefix, message) => {
      expect(
        refused(
          configWith((c) => {
            c.backend = { type: "s3", bucket: "my-terraform-state", region: "us-east-1", keyPrefix };
          }),
        ),
      ).toEqual([`  - backend.keyPrefix: ${message}`]);
    });

    test.each([
      [`/${"a".repeat(511)}/`, "must be at most 512 characters (IAM's limit for a path)"],
      [
        "/with space/",
        'must start and end with "/", like "/" or "/replication/", with printable ASCII characters and no space in between',
      ],
      [
        "//",
        'must start and end with "/", like "/" or "/replication/", with printable ASCII characters and no space in between',
      ],
    ])("refuses the role path %j", (path, message) => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].role = { path };
          }),
        ),
      ).toEqual([`  - replications[0].role.path: ${message}`]);
    });

    test("refuses rules whose prefixes make the role's inline policies larger than IAM allows", () => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].rules = Array.from({ length: 60 }, (_, i) => ({
              id: `r${i}`,
              priority: i,
              filter: { prefix: `p${i}/${"x".repeat(200)}` },
              destination: { account: "backup", bucket: "my-app-data-backup" },
            }));
          }),
        ),
      ).toEqual([
        "  - replications[0].rules: the replication role's inline policies would be 29,242 characters, over IAM's limit of 10,240 (whitespace not counted): each filter prefix adds its ARNs, so use fewer or shorter prefixes",
      ]);
    });

    test("refuses extra statements that make a bucket policy larger than S3 allows", () => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].destinationPolicies = {
              "my-app-data-backup": {
                additionalStatements: Array.from({ length: 30 }, (_, i) => ({
                  Sid: `S${i}`,
                  Effect: "Deny" as const,
                  Principal: "*",
                  Action: "s3:*",
                  Resource: `arn:aws:s3:::my-app-data-backup/${"y".repeat(800)}`,
                })),
              },
            };
          }),
        ),
      ).toEqual([
        '  - replications[0].destinationPolicies["my-app-data-backup"]: the bucket policy of "my-app-data-backup" would be 27,793 bytes, over S3\'s limit of 20,480: shorten or merge additionalStatements',
      ]);
    });

    test("refuses a shared destination whose one policy, with every source's grant, is larger than S3 allows", () => {
      const config = exampleConfig("central-log-archive");
      config.sharedDestinations = {
        "acme-central-log-archive": {
          additionalStatements: Array.from({ length: 25 }, (_, i) => ({
            Sid: `S${i}`,
            Effect: "Deny" as const,
            Principal: "*",
            Action: "s3:*",
            Resource: `arn:aws:s3:::acme-central-log-archive/${"y".repeat(800)}`,
          })),
        },
      };
      expect(refused(config)).toEqual([
        '  - sharedDestinations["acme-central-log-archive"]: the bucket policy of "acme-central-log-archive" would be 24,673 bytes with the grants of its 3 sources, over S3\'s limit of 20,480: shorten additionalStatements or use fewer sources',
      ]);
    });

    test("refuses a role to assume in another account than the account's own", () => {
      expect(
        refused(
          configWith((c) => {
            c.accounts.backup.credentials = { roleArn: "arn:aws:iam::111122223333:role/deployer" };
          }),
        ),
      ).toEqual([
        "  - accounts.backup.credentials.roleArn: the role is in account 111122223333, not 444455556666 (accounts.backup.accountId): name a role in that account",
      ]);
    });

    test("refuses a backend role outside the state bucket's account", () => {
      expect(
        refused(
          configWith((c) => {
            c.backend = {
              type: "s3",
              bucket: "my-terraform-state",
              region: "us-east-1",
              bootstrap: { account: "source" },
              credentials: { roleArn: "arn:aws:iam::444455556666:role/state" },
            };
          }),
        ),
      ).toEqual([
        "  - backend.credentials.roleArn: the role is in account 444455556666, not 111122223333 (the state bucket's account, source): name a role in that account",
      ]);
    });

    test("refuses an ARN of another partition in extra statements", () => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].destinationPolicies = {
              "my-app-data-backup": {
                additionalStatements: [
                  {
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: "arn:aws-us-gov:s3:::my-app-data-backup/*",
                  },
                ],
              },
            };
          }),
        ),
      ).toEqual([
        '  - replications[0].destinationPolicies["my-app-data-backup"].additionalStatements[0].Resource: is an ARN in partition "aws-us-gov", but the source bucket\'s Region us-east-1 is in "aws": write arn:aws:...',
      ]);
    });

    test("refuses an ARN in another partition than its Region's", () => {
      expect(
        refused(
          configWith((c) => {
            const rule = c.replications[0].rules[0];
            rule.replicateSseKms = true;
            rule.destination.replicaKms = { create: true };
            c.replications[0].source.sseKmsKeyArns = ["arn:aws-cn:kms:us-east-1:111122223333:key/k"];
          }),
        ),
      ).toEqual([
        '  - replications[0].source.sseKmsKeyArns[0]: is an ARN in partition "aws-cn", but its Region us-east-1 is in "aws": write arn:aws:...',
      ]);
    });

    test("refuses a prefix IAM policies cannot hold", () => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].rules[0].filter = { prefix: "日本/" };
          }),
        ),
      ).toEqual([
        "  - replications[0].rules[0].filter.prefix: holds U+65E5, which IAM policies cannot hold (only tab, line breaks and U+0020 to U+00FF), and the role policy names this prefix: use a prefix of those characters",
      ]);
    });

    test("writes no owner override between buckets of one account", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.accounts.backup.accountId = "111122223333";
        }),
      );
      const rule = (resourceAt(json, "aws_s3_bucket_replication_configuration.replication") as any).rule[0];
      expect(rule.destination.access_control_translation).toBeUndefined();
      expect(JSON.stringify(policyAt(json, "aws_iam_role_policy.replication"))).not.toContain(
        "s3:ObjectOwnerOverrideToBucketOwner",
      );
    });
  });

  describe("the output directory", () => {
    test("says which directory is in the way, without a stack trace, and writes nothing", () => {
      const dir = tempDir();
      writeFileSync(join(dir, "file"), "");
      const run = synthRun(writeConfig(guideConfig(), dir), join(dir, "file", "cdktf.out"));
      expect(run.code).toBe(1);
      expect(run.stderr).toEqual([
        `cannot write ${join(dir, "file")} (a file is in the way of a directory): nothing was written; make ${join(dir, "file", "cdktf.out")} writable, or set CDKTF_OUTDIR to a directory you can write`,
      ]);
    });

    test("says when writing is denied, without a stack trace", () => {
      // The tests may run as root, for whom permissions deny nothing: the error is injected.
      const denied = Object.assign(new Error("EACCES: permission denied, mkdtemp"), {
        code: "EACCES",
        path: "/srv/cdktf.out.staging-XXXXXX",
      });
      const config = writeConfig(guideConfig());
      const fs: typeof import("node:fs") = jest.requireActual("node:fs");
      const spy = jest.spyOn(fs, "mkdtempSync").mockImplementation(() => {
        throw denied;
      });
      try {
        const run = synthRun(config, "/srv/cdktf.out");
        expect(run.code).toBe(1);
        expect(run.stderr).toEqual([
          "cannot write /srv/cdktf.out.staging-XXXXXX (permission denied): nothing was written; make /srv/cdktf.out writable, or set CDKTF_OUTDIR to a directory you can write",
        ]);
      } finally {
        spy.mockRestore();
      }
    });
  });

  test("reports schema and cross-field problems in one pass", () => {
    expect(
      refused(
        configWith((c) => {
          c.accounts.source.accountId = "123";
          const rule = c.replications[0].rules[0];
          rule.replicateSseKms = true;
          rule.destination.replicaKms = { keyArn: "arn:aws:kms:eu-west-1:444455556666:key/abc" };
          c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/k"];
        }),
      ),
    ).toEqual([
      '  - accounts.source.accountId: must be a 12-digit AWS account id in quotes, like "111122223333"',
      "  - replications[0].rules[0].destination.replicaKms.keyArn: the replica key must be in the destination bucket's Region (us-west-2), not eu-west-1",
    ]);
  });

  test("maps the index of a replication that the schema refused back into cross-field problems", () => {
    const config = configWith((c) => {
      const second = structuredClone(c.replications[0]);
      c.replications.unshift({
        ...structuredClone(c.replications[0]),
        source: { account: "source", bucket: 5 } as never,
      });
      second.rules[0].destination.bucket = "my-app-data-prod";
      c.replications.push(second);
    });
    expect(refused(config)).toEqual([
      "  - replications[0].source.bucket: must be a string, not a number: put the value in quotes",
      '  - replications[2].rules[0].destination.bucket: replicates bucket "my-app-data-prod" into itself: name a different destination bucket',
      '  - replications[2].rules[0].destination: bucket "my-app-data-prod" is described differently in replications[1].source (account, region): one bucket has one account, Region and settings; make every mention match',
      '  - replications[2].source.bucket: bucket "my-app-data-prod" is already the source in replications[1]: S3 keeps one replication configuration per bucket, so put all its rules in one entry',
    ]);
  });

  describe("messages", () => {
    test("cuts a long value to its start and length", () => {
      expect(
        refused(
          configWith((c) => {
            c.replications[0].source.bucket = "a".repeat(1_000_000);
          }),
        ),
      ).toEqual([
        `  - replications[0].source.bucket: "${"a".repeat(64)}... (1,000,000 characters)" is not a valid S3 bucket name: it must be 3 to 63 characters long (it has 1000000)`,
      ]);
    });

    test("says a number is too large instead of calling it a Infinity", () => {
      expect(refused(guideText.replace('"priority": 1', '"priority": 1e400'))).toEqual([
        "  - replications[0].rules[0].priority: is a number too large to represent (it reads as infinity): use a smaller number",
      ]);
    });

    test.each([
      ["UTF-16 (little-endian)", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(guideText, "utf16le")])],
      ["UTF-16 (big-endian)", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(guideText, "utf16le").swap16()])],
      ["UTF-16 (little-endian)", Buffer.from(guideText, "utf16le")],
    ])("names the encoding of a %s file", (encoding, bytes) => {
      expect(refused(bytes)).toEqual([`  - (top level): the file is ${encoding} text: save it as UTF-8`]);
    });

    test("names a file that is not UTF-8 at all", () => {
      expect(refused(Buffer.from(guideText.replace("my-app", "m\u00e9-app"), "latin1"))).toEqual([
        "  - (top level): the file is not valid UTF-8 text: save it as UTF-8",
      ]);
    });

    test("warns about a prefix that starts with /, and synthesizes", () => {
      expect(
        warningsOf(
          configWith((c) => {
            c.replications[0].rules[0].filter = { prefix: "/logs/" };
          }),
        ),
      ).toEqual([
        'replications[0].rules[0].filter.prefix: starts with "/": S3 keys rarely do ("logs/a.txt" has none), so this rule may match nothing; remove the "/" unless your keys start with one',
      ]);
    });
  });
});
