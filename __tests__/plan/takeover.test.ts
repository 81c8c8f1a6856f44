import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
} from "@aws-sdk/client-s3";
import { validateConfig } from "../../lib/config/loader";
import { adoptStatements } from "../../lib/plan/adopt";
import { type BucketSnapshot, readBucketSnapshot } from "../../lib/plan/bucket-snapshot";
import {
  emptyTakeover,
  removalsOf,
  removedStatements,
  sameStatement,
  type Takeover,
  takeoverOf,
} from "../../lib/plan/takeover";
import { checkTakeover } from "../../lib/plan/takeover-check";
import { noteText, refusalText, TERMINAL, takeoverMarkdown } from "../../lib/plan/takeover-report";
import { destinationBucketPolicy } from "../../lib/policies/destination-bucket-policy";
import { awsError, mockedAccounts } from "../helpers/aws-mocks";

const raw = () => {
  const config = JSON.parse(readFileSync(join(process.cwd(), "replication.config.json"), "utf8"));
  config.$schema = undefined;
  return config;
};
const model = (config = raw()) => validateConfig(config, "replication.config.json");
const OPTIONS = { keepAt: ["replications", 0], replaceExisting: false };

const snapshot = (bucket: string, extra: Partial<BucketSnapshot> = {}): BucketSnapshot => ({
  bucket,
  exists: true,
  versioning: "Enabled",
  ...extra,
});

const deny = {
  Sid: "DenyDelete",
  Effect: "Deny",
  Principal: "*",
  Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
  Resource: "arn:aws:s3:::my-app-data-backup/*",
};

describe("takeover: statements", () => {
  test("treats IAM-equivalent spellings of a statement as the same", () => {
    expect(
      sameStatement(
        { Effect: "Allow", Action: "s3:GetObject", Principal: { AWS: "arn:aws:iam::1:root" }, Resource: "x" },
        { Resource: ["x"], Principal: { AWS: ["arn:aws:iam::1:root"] }, Action: ["s3:GetObject"], Effect: "Allow" },
      ),
    ).toBe(true);
    expect(
      sameStatement(
        { Effect: "Deny", Action: ["a", "b"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        { Effect: "Deny", Action: ["b", "a"], Condition: { Bool: { "aws:SecureTransport": ["false"] } } },
      ),
    ).toBe(true);
    expect(sameStatement({ Effect: "Allow", Action: "a" }, { Effect: "Deny", Action: "a" })).toBe(false);
    expect(sameStatement({ Sid: "A", Effect: "Allow", Action: "a" }, { Sid: "B", Effect: "Allow", Action: "a" })).toBe(
      false,
    );
  });

  test("keys a removed statement by its IAM form: keys sorted, single values as lists, lists sorted", () => {
    const statement = {
      Resource: "r",
      Effect: "Allow",
      Principal: { AWS: ["b", "a"] },
      Action: ["s3:B", "s3:A"],
      Condition: { StringEquals: { k: "v" }, Bool: { "aws:SecureTransport": ["true"] } },
    };
    const takeover = { ...emptyTakeover("s"), removedStatements: [{ bucket: "bk", text: "", statement }] };
    expect(removalsOf(takeover).map((r) => r.key)).toEqual([
      'policy bk {"Action":["s3:A","s3:B"],"Condition":{"StringEquals":{"k":["v"]},"Bool":{"aws:SecureTransport":["true"]}},' +
        '"Effect":"Allow","Principal":{"AWS":["a","b"]},"Resource":["r"]}',
    ]);
  });

  test("keys a removed rule by its id, and a changed rule by its live content, each with its words", () => {
    const live = { id: "r2", priority: 2, destination: { bucket: "arn:aws:s3:::old" } };
    const takeover = {
      ...emptyTakeover("s"),
      removedRules: [{ bucket: "src", id: "r1", text: "{}" }],
      changedRules: [{ bucket: "src", id: "r2", fields: [], live: live as never }],
    } satisfies Takeover;
    expect(removalsOf(takeover)).toEqual([
      { key: "rule src r1", label: "replication rule r1 of src" },
      {
        key: 'rule-content src r2 {"id":"r2","priority":2,"destination":{"bucket":"arn:aws:s3:::old"}}',
        label: "the content of replication rule r2 of src",
      },
    ]);
  });

  test("lists the live statements the intended policy lacks, by Sid and text", () => {
    const removed = removedStatements("b", { Statement: [deny, { Effect: "Allow", Action: "s3:GetObject" }] }, [deny]);
    expect(removed.map((r) => [r.sid, r.text])).toEqual([
      [undefined, JSON.stringify({ Effect: "Allow", Action: "s3:GetObject" }, null, 2)],
    ]);
    expect(removedStatements("b", undefined, [])).toEqual([]);
  });

  test("finds nothing to remove once the stack's own policy is on the bucket", () => {
    const m = model();
    const replication = m.replications[0];
    const live = destinationBucketPolicy(replication, replication.destinations[0]);
    const takeover = takeoverOf(
      replication,
      new Map([["my-app-data-backup", snapshot("my-app-data-backup", { policy: JSON.parse(JSON.stringify(live)) })]]),
      OPTIONS,
    );
    expect(takeover.removedStatements).toEqual([]);
    expect(takeover.refusals).toEqual([]);
  });

  test("refuses, naming each Sid and the statements without one", () => {
    const takeover = takeoverOf(
      model().replications[0],
      new Map([
        [
          "my-app-data-backup",
          snapshot("my-app-data-backup", {
            policy: { Statement: [deny, { Effect: "Allow", Action: "s3:GetObject" }] },
          }),
        ],
      ]),
      OPTIONS,
    );
    expect(takeover.refusals.map((r) => refusalText(r, TERMINAL))).toEqual([
      "replication-my-app-data-prod: the apply would remove 2 statement(s) from the bucket policy of my-app-data-backup (Sid DenyDelete, 1 without Sid). Keep them: npm run adopt -- replication-my-app-data-prod copies them into replications[0].destinationPolicies.my-app-data-backup.additionalStatements; or set replications[0].destinationPolicies.my-app-data-backup.replaceExistingStatements to true if removing them is intended (or plan with --replace-existing).",
    ]);
    const markdown = takeoverMarkdown(takeover);
    expect(markdown).toContain("- bucket policy of `my-app-data-backup`: statement Sid `DenyDelete`");
    expect(markdown).toContain("- bucket policy of `my-app-data-backup`: statement without Sid");
  });
});

describe("takeover: rules and settings", () => {
  const source = (extra: Partial<BucketSnapshot>) =>
    new Map([["my-app-data-prod", snapshot("my-app-data-prod", extra)]]);

  test("keeps rules whose id the config has, lists the others, and notes a change of role", () => {
    const takeover = takeoverOf(
      model().replications[0],
      source({
        replication: {
          role: "arn:aws:iam::111122223333:role/manual",
          rules: [{ ID: "CrossAccountReplicationRule" }, { ID: "to-analytics" }],
        },
      }),
      { ...OPTIONS, replaceExisting: true },
    );
    expect(takeover.removedRules.map((r) => r.id)).toEqual(["to-analytics"]);
    expect(takeover.refusals).toEqual([]);
    expect(takeover.notes.map((n) => noteText(n, TERMINAL))).toContain(
      "my-app-data-prod: the replication configuration's role changes from arn:aws:iam::111122223333:role/manual to arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole",
    );
  });

  test("accepts removing rules when the config says so", () => {
    const config = raw();
    config.replications[0].replaceExistingRules = true;
    const takeover = takeoverOf(
      model(config).replications[0],
      source({ replication: { rules: [{ ID: "x" }] } }),
      OPTIONS,
    );
    expect(takeover.removedRules.map((r) => r.id)).toEqual(["x"]);
    expect(takeover.refusals).toEqual([]);
  });

  test("notes versioning the apply turns on, a default KMS key the config misses and an ownership mismatch", () => {
    const config = raw();
    config.replications[0].rules[0].destination.objectOwnership = "BucketOwnerPreferred";
    const takeover = takeoverOf(
      model(config).replications[0],
      new Map([
        [
          "my-app-data-prod",
          snapshot("my-app-data-prod", {
            versioning: "Never enabled",
            encryption: { algorithm: "aws:kms", kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" },
          }),
        ],
        ["my-app-data-backup", snapshot("my-app-data-backup", { versioning: "Suspended", ownership: "ObjectWriter" })],
      ]),
      OPTIONS,
    );
    expect(takeover.notes.map((n) => noteText(n, TERMINAL))).toEqual([
      "my-app-data-prod: versioning is Never enabled; the apply enables it (a versioned bucket can be suspended later, never unversioned again)",
      "my-app-data-prod: default encryption is aws:kms with arn:aws:kms:us-east-1:111122223333:key/k, which source.sseKmsKeyArns does not list: objects it encrypts are not replicated unless a rule sets replicateSseKms",
      "my-app-data-backup: versioning is Suspended; the apply enables it (a versioned bucket can be suspended later, never unversioned again)",
      "my-app-data-backup: Object Ownership is ObjectWriter, the config says BucketOwnerPreferred",
    ]);
  });
});

describe("takeover: reading the buckets", () => {
  test("reads policy, replication, versioning, ownership and encryption, each absent when S3 says so", async () => {
    const aws = mockedAccounts();
    const s3 = aws.account("444455556666").s3;
    s3.on(GetBucketVersioningCommand).resolves({});
    s3.on(GetBucketPolicyCommand).rejects(awsError("NoSuchBucketPolicy"));
    s3.on(GetBucketReplicationCommand).rejects(awsError("ReplicationConfigurationNotFoundError"));
    s3.on(GetBucketOwnershipControlsCommand).rejects(awsError("OwnershipControlsNotFoundError"));
    s3.on(GetBucketEncryptionCommand).rejects(awsError("ServerSideEncryptionConfigurationNotFoundError"));
    const clients = aws.clients(model().replications[0].destinations[0].account, "us-west-2");
    expect(await readBucketSnapshot(clients.s3, "b")).toEqual({
      bucket: "b",
      exists: true,
      policy: undefined,
      replication: undefined,
      versioning: "Never enabled",
      ownership: undefined,
      encryption: undefined,
    });
  });

  test("reads what a bucket has, and that a bucket does not exist", async () => {
    const aws = mockedAccounts();
    const s3 = aws.account("111122223333").s3;
    s3.on(GetBucketVersioningCommand, { Bucket: "gone" }).rejects(awsError("NoSuchBucket"));
    s3.on(GetBucketVersioningCommand, { Bucket: "b" }).resolves({ Status: "Suspended" });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: [deny] }) });
    s3.on(GetBucketReplicationCommand).resolves({
      ReplicationConfiguration: { Role: "r", Rules: [{ ID: "x" }] } as never,
    });
    s3.on(GetBucketOwnershipControlsCommand).resolves({
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
    });
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    });
    const client = aws.clients(model().replications[0].source.account, "us-east-1").s3;
    expect(await readBucketSnapshot(client, "gone")).toEqual({
      bucket: "gone",
      exists: false,
      versioning: "Never enabled",
    });
    expect(await readBucketSnapshot(client, "b")).toEqual({
      bucket: "b",
      exists: true,
      policy: { Statement: [deny] },
      replication: { role: "r", rules: [{ ID: "x" }] },
      versioning: "Suspended",
      ownership: "BucketOwnerEnforced",
      encryption: { algorithm: "AES256", kmsKeyId: undefined },
    });
  });

  test("lets an access error through rather than guessing", async () => {
    const aws = mockedAccounts();
    aws.account("111122223333").s3.on(GetBucketVersioningCommand).rejects(awsError("AccessDenied", "Access Denied"));
    await expect(checkTakeover(model(), "replication-my-app-data-prod", aws.clients, false)).rejects.toThrow(
      "cannot read what my-app-data-prod has (AccessDenied: Access Denied): the check before a plan needs s3:GetBucketVersioning, s3:GetBucketPolicy, s3:GetReplicationConfiguration, s3:GetBucketOwnershipControls and s3:GetEncryptionConfiguration in account 111122223333",
    );
  });

  test("a stack the config does not have reads nothing and takes nothing over", async () => {
    const aws = mockedAccounts();
    expect(await checkTakeover(model(), "replication-gone", aws.clients, false)).toEqual(
      emptyTakeover("replication-gone"),
    );
    expect(aws.account("111122223333").regions).toEqual(new Set());
  });

  test("reads each existing bucket in its own account and Region", async () => {
    const aws = mockedAccounts();
    await checkTakeover(model(), "replication-my-app-data-prod", aws.clients, false);
    expect(aws.account("111122223333").regions).toEqual(new Set(["us-east-1"]));
    expect(aws.account("444455556666").regions).toEqual(new Set(["us-west-2"]));
  });
});

describe("npm run adopt", () => {
  test("copies the statements the apply would remove into additionalStatements, and the result is valid", () => {
    const config = raw();
    const takeover = takeoverOf(
      model(config).replications[0],
      new Map([["my-app-data-backup", snapshot("my-app-data-backup", { policy: { Statement: [deny] } })]]),
      OPTIONS,
    );
    const adoption = adoptStatements(JSON.stringify(config, null, 2), [takeover]);
    expect(adoption.adopted).toEqual([{ bucket: "my-app-data-backup", sid: "DenyDelete" }]);
    const edited = JSON.parse(adoption.text);
    expect(edited.replications[0].destinationPolicies["my-app-data-backup"].additionalStatements).toEqual([deny]);
    const adopted = validateConfig(edited, "replication.config.json").replications[0];
    const again = takeoverOf(
      adopted,
      new Map([["my-app-data-backup", snapshot("my-app-data-backup", { policy: { Statement: [deny] } })]]),
      OPTIONS,
    );
    expect(again.refusals).toEqual([]);
    expect(config.replications[0].destinationPolicies).toBeUndefined();
  });

  test("does not adopt a statement whose Sid the config cannot hold, and says what to do", () => {
    const takeover = takeoverOf(
      model().replications[0],
      new Map([
        [
          "my-app-data-backup",
          snapshot("my-app-data-backup", { policy: { Statement: [{ ...deny, Sid: "deny-delete" }] } }),
        ],
      ]),
      OPTIONS,
    );
    const adoption = adoptStatements(JSON.stringify(raw()), [takeover]);
    expect(adoption.adopted).toEqual([]);
    expect(adoption.skipped).toEqual([
      'my-app-data-backup: statement Sid "deny-delete" has characters other than letters and digits: copy it into replications[0].destinationPolicies.my-app-data-backup.additionalStatements with a new Sid',
    ]);
  });
});
