import { GetRoleCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Replication } from "../../lib/config/model";
import { checkBucketEncryption } from "../../lib/ops/doctor/checks/bucket-encryption";
import { checkBucketPolicies } from "../../lib/ops/doctor/checks/bucket-policy";
import { checkCredentials } from "../../lib/ops/doctor/checks/credentials";
import { checkKeyPolicies } from "../../lib/ops/doctor/checks/key-policies";
import { checkObjectOwnership } from "../../lib/ops/doctor/checks/object-ownership";
import { checkReplicationConfiguration } from "../../lib/ops/doctor/checks/replication-configuration";
import { checkRole, checkRoleSimulation } from "../../lib/ops/doctor/checks/role";
import { checkVersioning } from "../../lib/ops/doctor/checks/versioning";
import { runDoctor } from "../../lib/ops/doctor/doctor";
import { destinationBucketPolicy, sharedDestinationBucketPolicy } from "../../lib/policies/destination-bucket-policy";
import { replicaKeyPolicy } from "../../lib/policies/kms-policies";
import { trustPolicy } from "../../lib/policies/trust-policy";
import { awsError, inputsOf, mockedAccounts } from "../helpers/aws-mocks";
import { exampleConfig, guideConfig, modelOf } from "../helpers/config";

const SOURCE = "111122223333";
const DEST = "444455556666";
const ROLE = "arn:aws:iam::111122223333:role/s3-replication-my-app-data-prod";

function setup(config = guideConfig()) {
  const replication = modelOf(config).replications[0];
  const aws = mockedAccounts();
  return { replication, aws, ctx: { replication, clients: aws.clients } };
}

const summary = (results: Awaited<ReturnType<typeof checkVersioning>>) =>
  results.map((r) => ({ passed: r.passed, resource: r.resource, detail: r.detail, help: r.help }));

/** The live configuration exactly as the guide's stack declares it. */
function liveConfiguration(replication: Replication): any {
  return {
    ReplicationConfiguration: {
      Role: replication.role.arn,
      Rules: [
        {
          ID: "CrossAccountReplicationRule",
          Priority: 1,
          Status: "Enabled",
          Filter: { Prefix: "" },
          DeleteMarkerReplication: { Status: "Enabled" },
          ExistingObjectReplication: { Status: "Disabled" },
          Destination: {
            Bucket: "arn:aws:s3:::my-app-data-backup",
            Account: DEST,
            AccessControlTranslation: { Owner: "Destination" },
          },
        },
      ],
    },
  };
}

describe("doctor checks", () => {
  describe("credentials", () => {
    test("passes when each account's credentials belong to it", async () => {
      const { aws, ctx } = setup();
      aws
        .account(SOURCE)
        .sts.on(GetCallerIdentityCommand)
        .resolves({ Account: SOURCE, Arn: "arn:aws:sts::111122223333:assumed-role/a/b" });
      aws
        .account(DEST)
        .sts.on(GetCallerIdentityCommand)
        .resolves({ Account: DEST, Arn: "arn:aws:sts::444455556666:assumed-role/a/b" });
      const results = await checkCredentials(ctx);
      expect(results.map((r) => [r.resource, r.passed])).toEqual([
        ["account source (111122223333)", true],
        ["account backup (444455556666)", true],
      ]);
      expect(inputsOf(aws.account(SOURCE).sts, GetCallerIdentityCommand)).toEqual([{}]);
      expect([...aws.account(DEST).regions]).toEqual(["us-west-2"]);
    });

    test("fails when a profile points at another account", async () => {
      const { aws, ctx } = setup();
      aws.account(SOURCE).sts.on(GetCallerIdentityCommand).resolves({ Account: SOURCE });
      aws
        .account(DEST)
        .sts.on(GetCallerIdentityCommand)
        .resolves({ Account: "999988887777", Arn: "arn:aws:sts::999988887777:x" });
      const [, destination] = await checkCredentials(ctx);
      expect(destination).toMatchObject({
        passed: false,
        detail: 'the credentials belong to 999988887777, not 444455556666: fix the profile or role for "backup"',
        help: "help/troubleshooting.md#terraform-stops-with-aws-account-id-not-allowed",
      });
    });

    test("stops doctor before any other check when credentials are wrong", async () => {
      const { aws, ctx } = setup();
      aws
        .account(SOURCE)
        .sts.on(GetCallerIdentityCommand)
        .rejects(awsError("ExpiredToken", "The security token included in the request is expired"));
      aws.account(DEST).sts.on(GetCallerIdentityCommand).resolves({ Account: DEST });
      const results = await runDoctor(ctx);
      expect(results.map((r) => r.check)).toEqual(["credentials", "credentials"]);
      expect(results[0]).toMatchObject({
        detail:
          "ExpiredToken: The security token included in the request is expired — your credentials are missing or expired: log in again (aws sso login, a fresh session) or fix the profile or role in the config",
        help: "help/troubleshooting.md#your-credentials-are-missing-or-expired",
      });
      expect(aws.account(SOURCE).s3.calls()).toHaveLength(0);
    });
  });

  describe("versioning", () => {
    test("passes when both buckets are Enabled, asking each with its own account", async () => {
      const { aws, ctx } = setup();
      aws.account(SOURCE).s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
      aws.account(DEST).s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
      expect((await checkVersioning(ctx)).every((r) => r.passed)).toBe(true);
      expect(inputsOf(aws.account(SOURCE).s3, GetBucketVersioningCommand)).toEqual([{ Bucket: "my-app-data-prod" }]);
      expect(inputsOf(aws.account(DEST).s3, GetBucketVersioningCommand)).toEqual([{ Bucket: "my-app-data-backup" }]);
    });

    test("fails on Suspended and on never-enabled versioning", async () => {
      const { aws, ctx } = setup();
      aws.account(SOURCE).s3.on(GetBucketVersioningCommand).resolves({ Status: "Suspended" });
      aws.account(DEST).s3.on(GetBucketVersioningCommand).resolves({});
      expect(summary(await checkVersioning(ctx))).toEqual([
        {
          passed: false,
          resource: "arn:aws:s3:::my-app-data-prod",
          detail: "versioning is Suspended",
          help: "help/troubleshooting.md#versioning-must-be-enabled-error",
        },
        {
          passed: false,
          resource: "arn:aws:s3:::my-app-data-backup",
          detail: "versioning is not enabled (never turned on)",
          help: "help/troubleshooting.md#versioning-must-be-enabled-error",
        },
      ]);
    });
  });

  describe("replication configuration", () => {
    test("passes when the live configuration is the declared one", async () => {
      const { aws, ctx, replication } = setup();
      aws.account(SOURCE).s3.on(GetBucketReplicationCommand).resolves(liveConfiguration(replication));
      const [result] = await checkReplicationConfiguration(ctx);
      expect(result).toMatchObject({ passed: true, detail: "1 rule(s) as declared" });
      expect(inputsOf(aws.account(SOURCE).s3, GetBucketReplicationCommand)).toEqual([{ Bucket: "my-app-data-prod" }]);
    });

    test("expects a shared destination's key by its alias ARN, as the stack writes it", async () => {
      const replication = modelOf(exampleConfig("central-log-archive")).replications[0];
      const aws = mockedAccounts();
      aws
        .account("999988887777")
        .kms.on(DescribeKeyCommand)
        .resolves({ KeyMetadata: { Arn: "arn:aws:kms:us-east-1:999988887777:key/k1", KeyId: "k1" } as any });
      const alias = "arn:aws:kms:us-east-1:999988887777:alias/central-log-archive-replicas";
      const rule = (keyId: string) => ({
        ID: "logs-to-archive",
        Priority: 1,
        Status: "Enabled",
        Filter: { Prefix: "logs/111122223333/" },
        DeleteMarkerReplication: { Status: "Disabled" },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } },
        Destination: {
          Bucket: "arn:aws:s3:::acme-central-log-archive",
          Account: "999988887777",
          EncryptionConfiguration: { ReplicaKmsKeyID: keyId },
        },
      });
      const live = (keyId: string) =>
        ({ ReplicationConfiguration: { Role: replication.role.arn, Rules: [rule(keyId)] } }) as any;
      aws.account("111122223333").s3.on(GetBucketReplicationCommand).resolves(live(alias));
      expect((await checkReplicationConfiguration({ replication, clients: aws.clients }))[0]).toMatchObject({
        passed: true,
      });
      aws
        .account("111122223333")
        .s3.on(GetBucketReplicationCommand)
        .resolves(live("arn:aws:kms:us-east-1:999988887777:key/k1"));
      expect((await checkReplicationConfiguration({ replication, clients: aws.clients }))[0].detail).toBe(
        `rule logs-to-archive: Destination.EncryptionConfiguration.ReplicaKmsKeyID: "arn:aws:kms:us-east-1:999988887777:key/k1", expected "${alias}"`,
      );
    });

    test("names every field that differs", async () => {
      const { aws, ctx, replication } = setup();
      const live = liveConfiguration(replication);
      live.ReplicationConfiguration.Role = "arn:aws:iam::111122223333:role/other";
      const [rule] = live.ReplicationConfiguration.Rules as any[];
      rule.DeleteMarkerReplication = { Status: "Disabled" };
      delete rule.Destination.AccessControlTranslation;
      rule.Filter = { Prefix: "logs/" };
      aws.account(SOURCE).s3.on(GetBucketReplicationCommand).resolves(live);
      const [result] = await checkReplicationConfiguration(ctx);
      expect(result.passed).toBe(false);
      expect(result.detail).toBe(
        `Role: "arn:aws:iam::111122223333:role/other", expected "${ROLE}"; ` +
          'rule CrossAccountReplicationRule: Filter.Prefix: "logs/", expected null; ' +
          'rule CrossAccountReplicationRule: DeleteMarkerReplication.Status: "Disabled", expected "Enabled"; ' +
          'rule CrossAccountReplicationRule: Destination.AccessControlTranslation: null, expected {"Owner":"Destination"}',
      );
    });

    test("fails when the bucket has no replication configuration", async () => {
      const { aws, ctx } = setup();
      aws.account(SOURCE).s3.on(GetBucketReplicationCommand).rejects(awsError("ReplicationConfigurationNotFoundError"));
      expect(summary(await checkReplicationConfiguration(ctx))).toEqual([
        {
          passed: false,
          resource: "arn:aws:s3:::my-app-data-prod",
          detail: "the bucket has no replication configuration: apply the stack",
          help: "help/troubleshooting.md#objects-not-replicating",
        },
      ]);
    });

    test("resolves a created replica key through its alias to compare it", async () => {
      const { aws, ctx } = setup(exampleConfig("kms"));
      aws
        .account(DEST)
        .kms.on(DescribeKeyCommand)
        .resolves({ KeyMetadata: { KeyId: "k", Arn: "arn:aws:kms:us-west-2:444455556666:key/created" } });
      aws
        .account(SOURCE)
        .s3.on(GetBucketReplicationCommand)
        .resolves({ ReplicationConfiguration: { Role: "x", Rules: [] } });
      const [result] = await checkReplicationConfiguration(ctx);
      expect(inputsOf(aws.account(DEST).kms, DescribeKeyCommand)).toEqual([{ KeyId: "alias/acme-ledgers-replicas" }]);
      expect(result.detail).toContain("rule ledgers-to-archive: missing");
    });
  });

  describe("role", () => {
    test("passes when the role has the declared trust policy", async () => {
      const { aws, ctx, replication } = setup();
      aws
        .account(SOURCE)
        .iam.on(GetRoleCommand)
        .resolves({
          Role: {
            RoleName: replication.role.name,
            Arn: ROLE,
            Path: "/",
            RoleId: "AROA",
            CreateDate: new Date(),
            AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trustPolicy(replication))),
          },
        });
      expect((await checkRole(ctx))[0].passed).toBe(true);
      expect(inputsOf(aws.account(SOURCE).iam, GetRoleCommand)).toEqual([
        { RoleName: "s3-replication-my-app-data-prod" },
      ]);
    });

    test("fails when the role is missing or trusts someone else", async () => {
      const { aws, ctx, replication } = setup();
      aws
        .account(SOURCE)
        .iam.on(GetRoleCommand)
        .rejects(awsError("NoSuchEntity", "The role with name s3-replication-my-app-data-prod cannot be found."));
      expect((await checkRole(ctx))[0]).toMatchObject({
        passed: false,
        detail:
          "NoSuchEntity: The role with name s3-replication-my-app-data-prod cannot be found. — the IAM role does not exist in this account: apply the stack",
        help: "help/troubleshooting.md#a-bucket-role-key-or-job-does-not-exist",
      });
      const other = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      };
      aws
        .account(SOURCE)
        .iam.on(GetRoleCommand)
        .resolves({
          Role: {
            RoleName: replication.role.name,
            Arn: ROLE,
            Path: "/",
            RoleId: "A",
            CreateDate: new Date(),
            AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(other)),
          },
        });
      expect((await checkRole(ctx))[0].detail).toMatch(/^trust policy differs from the declared one: /);
    });

    test("asks IAM to simulate every replication action on the source and destination", async () => {
      const { aws, ctx } = setup();
      aws
        .account(SOURCE)
        .iam.on(SimulatePrincipalPolicyCommand)
        .callsFake((input) => ({
          EvaluationResults: input.ActionNames.map((a: string) => ({ EvalActionName: a, EvalDecision: "allowed" })),
        }));
      expect((await checkRoleSimulation(ctx)).every((r) => r.passed)).toBe(true);
      expect(inputsOf(aws.account(SOURCE).iam, SimulatePrincipalPolicyCommand)).toEqual([
        {
          PolicySourceArn: ROLE,
          ActionNames: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
          ResourceArns: ["arn:aws:s3:::my-app-data-prod"],
        },
        {
          PolicySourceArn: ROLE,
          ActionNames: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          ResourceArns: ["arn:aws:s3:::my-app-data-prod/s3-replication-doctor.txt"],
        },
        {
          PolicySourceArn: ROLE,
          ActionNames: [
            "s3:ReplicateObject",
            "s3:ReplicateTags",
            "s3:ReplicateDelete",
            "s3:ObjectOwnerOverrideToBucketOwner",
          ],
          ResourceArns: ["arn:aws:s3:::my-app-data-backup/s3-replication-doctor.txt"],
          // The role writes only into buckets of the destination account.
          ContextEntries: [
            { ContextKeyName: "s3:ResourceAccount", ContextKeyType: "string", ContextKeyValues: ["444455556666"] },
          ],
        },
      ]);
    });

    test("asks IAM to simulate the role's KMS use as S3 makes it, and points a denial at the KMS runbook", async () => {
      const { aws, ctx } = setup(exampleConfig("kms"));
      const created = "arn:aws:kms:us-west-2:444455556666:key/created-ledgers-key";
      aws
        .account(DEST)
        .kms.on(DescribeKeyCommand)
        .resolves({ KeyMetadata: { KeyId: "k", Arn: created } });
      aws
        .account(SOURCE)
        .iam.on(SimulatePrincipalPolicyCommand)
        .callsFake((input) => ({
          EvaluationResults: input.ActionNames.map((a: string) => ({
            EvalActionName: a,
            EvalDecision: a === "kms:Encrypt" && input.ResourceArns[0] === created ? "implicitDeny" : "allowed",
          })),
        }));
      const results = await checkRoleSimulation(ctx);
      const kms = inputsOf(aws.account(SOURCE).iam, SimulatePrincipalPolicyCommand).filter((i: any) =>
        i.ActionNames[0].startsWith("kms:"),
      );
      const via = (region: string) => ({
        ContextKeyName: "kms:ViaService",
        ContextKeyType: "string",
        ContextKeyValues: [`s3.${region}.amazonaws.com`],
      });
      const context = (arn: string) => ({
        ContextKeyName: "kms:EncryptionContext:aws:s3:arn",
        ContextKeyType: "string",
        ContextKeyValues: [arn],
      });
      const role = "arn:aws:iam::111122223333:role/s3-replication-acme-payments-prod";
      const sourceKey = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4e5f-8a9b-0c1d2e3f4a5b";
      expect(kms).toEqual([
        // The source bucket uses S3 Bucket Keys: KMS sees the bucket's ARN (asked once for both rules).
        {
          PolicySourceArn: role,
          ActionNames: ["kms:Decrypt"],
          ResourceArns: [sourceKey],
          ContextEntries: [via("us-east-1"), context("arn:aws:s3:::acme-payments-prod")],
        },
        {
          PolicySourceArn: role,
          ActionNames: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
          ResourceArns: ["arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d"],
          ContextEntries: [via("us-west-2"), context("arn:aws:s3:::acme-payments-backup")],
        },
        {
          PolicySourceArn: role,
          ActionNames: ["kms:Encrypt", "kms:GenerateDataKey"],
          ResourceArns: [created],
          ContextEntries: [
            via("us-west-2"),
            context("arn:aws:s3:::acme-ledgers-archive/ledgers/s3-replication-doctor.txt"),
            {
              ContextKeyName: "kms:ResourceAliases",
              ContextKeyType: "stringList",
              ContextKeyValues: ["alias/acme-ledgers-replicas"],
            },
          ],
        },
      ]);
      expect(results.filter((r) => !r.passed).map((r) => [r.resource, r.detail, r.help])).toEqual([
        [created, "not allowed: kms:Encrypt", "help/troubleshooting.md#kms-permissions"],
      ]);
    });

    test("fails with the HTTP status of an endpoint that does not answer the simulation", async () => {
      const { aws, ctx } = setup();
      const unanswered = Object.assign(new Error("@aws-sdk XML parse error: mismatched tags <html> and </title>."), {
        $metadata: { httpStatusCode: 500 },
      });
      aws.account(SOURCE).iam.on(SimulatePrincipalPolicyCommand).rejects(unanswered);
      const results = await checkRoleSimulation(ctx);
      expect(results.map((r) => [r.passed, r.httpStatus])).toEqual([
        [false, 500],
        [false, 500],
        [false, 500],
      ]);
    });

    test("names the actions IAM's simulation denies", async () => {
      const { aws, ctx } = setup();
      aws
        .account(SOURCE)
        .iam.on(SimulatePrincipalPolicyCommand)
        .callsFake((input) => ({
          EvaluationResults: input.ActionNames.map((a: string) => ({
            EvalActionName: a,
            EvalDecision: a === "s3:ReplicateTags" ? "implicitDeny" : "allowed",
          })),
        }));
      const failed = (await checkRoleSimulation(ctx)).filter((r) => !r.passed);
      expect(failed.map((r) => [r.resource, r.detail])).toEqual([
        ["arn:aws:s3:::my-app-data-backup/s3-replication-doctor.txt", "not allowed: s3:ReplicateTags"],
      ]);
    });
  });

  describe("destination bucket policy", () => {
    test("passes when it grants the exact role ARN every write action", async () => {
      const { aws, ctx, replication } = setup();
      const policy = destinationBucketPolicy(replication, replication.destinations[0]);
      aws
        .account(DEST)
        .s3.on(GetBucketPolicyCommand)
        .resolves({ Policy: JSON.stringify(policy) });
      expect((await checkBucketPolicies(ctx))[0].passed).toBe(true);
      expect(inputsOf(aws.account(DEST).s3, GetBucketPolicyCommand)).toEqual([{ Bucket: "my-app-data-backup" }]);
    });

    test("fails when the policy names another role, or misses owner override", async () => {
      const { aws, ctx, replication } = setup();
      const policy = destinationBucketPolicy(replication, replication.destinations[0]) as any;
      policy.Statement[0].Action = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"];
      aws
        .account(DEST)
        .s3.on(GetBucketPolicyCommand)
        .resolves({ Policy: JSON.stringify(policy) });
      expect((await checkBucketPolicies(ctx))[0]).toMatchObject({
        passed: false,
        detail: "for this exact role ARN: s3:ObjectOwnerOverrideToBucketOwner not-granted",
        help: "help/troubleshooting.md#accessdenied-errors",
      });
      policy.Statement[0].Principal = { AWS: "arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole" };
      aws
        .account(DEST)
        .s3.on(GetBucketPolicyCommand)
        .resolves({ Policy: JSON.stringify(policy) });
      expect((await checkBucketPolicies(ctx))[0].detail).toBe(
        "for this exact role ARN: s3:ReplicateObject not-granted, s3:ReplicateTags not-granted, s3:ReplicateDelete not-granted, s3:ObjectOwnerOverrideToBucketOwner not-granted",
      );
    });

    test("passes for each source of a shared destination: its account's grant, narrowed to its role and prefix", async () => {
      const model = modelOf(exampleConfig("central-log-archive"));
      const policy = sharedDestinationBucketPolicy(model.sharedDestinations[0]);
      for (const replication of model.replications) {
        const aws = mockedAccounts();
        aws
          .account("999988887777")
          .s3.on(GetBucketPolicyCommand)
          .resolves({ Policy: JSON.stringify(policy) });
        const [result] = await checkBucketPolicies({ replication, clients: aws.clients });
        expect(result).toMatchObject({
          passed: true,
          // No rule into the archive replicates delete markers.
          detail: "s3:ReplicateObject, s3:ReplicateTags",
        });
      }
    });

    test("fails for a source whose grant another stack's apply removed from the shared policy", async () => {
      const model = modelOf(exampleConfig("central-log-archive"));
      const policy = sharedDestinationBucketPolicy(model.sharedDestinations[0]) as any;
      policy.Statement = policy.Statement.filter((st: any) => st.Sid !== "AllowReplicationFromSourceRole2");
      const aws = mockedAccounts();
      aws
        .account("999988887777")
        .s3.on(GetBucketPolicyCommand)
        .resolves({ Policy: JSON.stringify(policy) });
      const [result] = await checkBucketPolicies({ replication: model.replications[1], clients: aws.clients });
      expect(result.detail).toBe(
        "for this exact role ARN: s3:ReplicateObject not-granted, s3:ReplicateTags not-granted",
      );
    });

    test("fails when the bucket has no policy", async () => {
      const { aws, ctx } = setup();
      aws.account(DEST).s3.on(GetBucketPolicyCommand).rejects(awsError("NoSuchBucketPolicy"));
      expect((await checkBucketPolicies(ctx))[0].detail).toBe("the bucket has no policy: apply the stack");
    });
  });

  describe("object ownership", () => {
    test("passes and says who owns replicas", async () => {
      const { aws, ctx } = setup();
      aws.account(DEST).s3.on(GetBucketOwnershipControlsCommand).rejects(awsError("OwnershipControlsNotFoundError"));
      expect((await checkObjectOwnership(ctx))[0]).toMatchObject({
        passed: true,
        detail: "ObjectWriter: replicas owned by the destination account",
      });
      expect(inputsOf(aws.account(DEST).s3, GetBucketOwnershipControlsCommand)).toEqual([
        { Bucket: "my-app-data-backup" },
      ]);
    });

    test("fails when the live setting is not the declared one", async () => {
      const { aws, ctx } = setup(exampleConfig("backup-vault"));
      aws
        .account(DEST)
        .s3.on(GetBucketOwnershipControlsCommand)
        .resolves({
          OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] },
        });
      expect((await checkObjectOwnership(ctx))[0]).toMatchObject({
        passed: false,
        detail: "BucketOwnerPreferred, but the config declares BucketOwnerEnforced",
        help: "help/troubleshooting.md#replicated-objects-inaccessible-in-the-destination-account",
      });
    });
  });

  describe("replica key policies", () => {
    test("passes when each key policy allows the role, and reads them with the destination account", async () => {
      const { aws, ctx, replication } = setup(exampleConfig("kms"));
      const created = "arn:aws:kms:us-west-2:444455556666:key/created";
      aws
        .account(DEST)
        .kms.on(DescribeKeyCommand)
        .resolves({ KeyMetadata: { KeyId: "k", Arn: created } });
      aws
        .account(DEST)
        .kms.on(GetKeyPolicyCommand)
        .callsFake(() => ({
          Policy: JSON.stringify(replicaKeyPolicy(replication, replication.destinations[0])),
        }));
      const results = await checkKeyPolicies(ctx);
      expect(results.map((r) => r.passed)).toEqual([true, true]);
      expect(inputsOf(aws.account(DEST).kms, GetKeyPolicyCommand)).toEqual([
        { KeyId: "arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d", PolicyName: "default" },
        { KeyId: created, PolicyName: "default" },
      ]);
    });

    test("fails when the key owner has not added the statement", async () => {
      const { aws, ctx } = setup(exampleConfig("kms"));
      aws
        .account(DEST)
        .kms.on(DescribeKeyCommand)
        .resolves({ KeyMetadata: { KeyId: "k", Arn: "arn:aws:kms:us-west-2:444455556666:key/c" } });
      aws
        .account(DEST)
        .kms.on(GetKeyPolicyCommand)
        .resolves({
          Policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "kms:*", Resource: "*" },
            ],
          }),
        });
      const [existing] = await checkKeyPolicies(ctx);
      expect(existing).toMatchObject({
        passed: false,
        detail:
          "the key policy does not allow the role kms:Encrypt, kms:GenerateDataKey, kms:Decrypt: add the statement in output replica_key_policy_statements",
        help: "help/troubleshooting.md#kms-permissions",
      });
    });
  });

  describe("default encryption", () => {
    const KEY = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4e5f-8a9b-0c1d2e3f4a5b";
    const kms = (key: string, bucketKey: boolean) => ({
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: key },
            BucketKeyEnabled: bucketKey,
          },
        ],
      },
    });
    const withoutBucketKeys = () => {
      const c: any = exampleConfig("kms");
      delete c.replications[0].source.bucketKeyEnabled;
      delete c.replications[0].rules[0].destination.bucketKeyEnabled;
      return c;
    };

    test("fails a source with S3 Bucket Keys the config does not declare, saying to fix the config", async () => {
      const { aws, ctx } = setup(withoutBucketKeys());
      aws.account(SOURCE).s3.on(GetBucketEncryptionCommand).resolves(kms(KEY, true));
      const [source] = await checkBucketEncryption(ctx);
      expect(source).toMatchObject({
        passed: false,
        check: "default encryption",
        resource: "arn:aws:s3:::acme-payments-prod",
        detail: `aws:kms with ${KEY}, S3 Bucket Keys on: fix the config: the bucket uses S3 Bucket Keys, so KMS sees the bucket ARN as encryption context, which the role's kms:Decrypt does not allow; set bucketKeyEnabled on this bucket`,
        help: "help/troubleshooting.md#a-buckets-default-encryption-differs-from-the-config",
      });
    });

    test("passes the same bucket when the config declares Bucket Keys", async () => {
      const { aws, ctx } = setup(exampleConfig("kms"));
      aws.account(SOURCE).s3.on(GetBucketEncryptionCommand).resolves(kms(KEY, true));
      expect((await checkBucketEncryption(ctx))[0]).toMatchObject({
        passed: true,
        detail: `aws:kms with ${KEY}, S3 Bucket Keys on`,
      });
    });

    test("fails a source key the role cannot decrypt with; a bare key id counts as its ARN", async () => {
      const { aws, ctx } = setup(exampleConfig("kms"));
      const other = "arn:aws:kms:us-east-1:111122223333:key/other";
      aws.account(SOURCE).s3.on(GetBucketEncryptionCommand).resolves(kms(other, false));
      expect((await checkBucketEncryption(ctx))[0].detail).toBe(
        `aws:kms with ${other}: fix the config: the role's kms:Decrypt covers ${KEY}, not the bucket's key ${other}; add it to source.sseKmsKeyArns (or fix the bucket: set its default key back)`,
      );
      aws
        .account(SOURCE)
        .s3.on(GetBucketEncryptionCommand)
        .resolves(kms("0a1b2c3d-1111-4e5f-8a9b-0c1d2e3f4a5b", false));
      expect((await checkBucketEncryption(ctx))[0].passed).toBe(true);
    });

    test("fails SSE-KMS objects under a config that does not replicate them", async () => {
      const { aws, ctx } = setup();
      aws.account(SOURCE).s3.on(GetBucketEncryptionCommand).resolves(kms(KEY, false));
      aws.account(DEST).s3.on(GetBucketEncryptionCommand).resolves({});
      const [source, destination] = await checkBucketEncryption(ctx);
      expect(source.detail).toBe(
        `aws:kms with ${KEY}: fix the config: new objects are aws:kms-encrypted, and no rule sets replicateSseKms, so S3 skips them; set replicateSseKms and list the key in source.sseKmsKeyArns`,
      );
      expect(destination).toMatchObject({ passed: true, detail: "SSE-S3" });
    });

    test("fails a destination with Bucket Keys that receives SSE-KMS replicas under a config without them", async () => {
      const { aws, ctx } = setup(withoutBucketKeys());
      aws.account(SOURCE).s3.on(GetBucketEncryptionCommand).resolves(kms(KEY, false));
      aws.account(DEST).s3.on(GetBucketEncryptionCommand, { Bucket: "acme-payments-backup" }).resolves(kms("k", true));
      aws
        .account(DEST)
        .s3.on(GetBucketEncryptionCommand, { Bucket: "acme-ledgers-archive" })
        .rejects(awsError("ServerSideEncryptionConfigurationNotFoundError"));
      const [, payments, ledgers] = await checkBucketEncryption(ctx);
      expect(payments).toMatchObject({
        passed: false,
        detail:
          "aws:kms with k, S3 Bucket Keys on: fix the config: the bucket uses S3 Bucket Keys, so replicas are encrypted under the bucket ARN as encryption context, which the role's replica-key grant does not allow; set bucketKeyEnabled on this bucket",
      });
      expect(ledgers).toMatchObject({ passed: true, detail: "SSE-S3" });
    });
  });
});
