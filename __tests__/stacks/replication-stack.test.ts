import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { ConfigInput } from "../../lib/config/schema";
import {
  addresses,
  allowedActions,
  configWith,
  guideConfig,
  list,
  policyAt,
  resourceAt,
  synthStack,
} from "../helpers/config";

const SOURCE = "arn:aws:s3:::my-app-data-prod";
const DESTINATION = "arn:aws:s3:::my-app-data-backup";
const ROLE_ARN = "arn:aws:iam::111122223333:role/s3-replication-my-app-data-prod";

function rulesOf(config: ConfigInput): Array<Record<string, any>> {
  const { json } = synthStack(config);
  return resourceAt(json, "aws_s3_bucket_replication_configuration.replication").rule as Array<Record<string, any>>;
}

function withRule(rule: Partial<ConfigInput["replications"][number]["rules"][number]>): ConfigInput {
  return configWith((c) => {
    Object.assign(c.replications[0].rules[0], rule);
  });
}

describe("replication stack", () => {
  test("pins the Terraform addresses of the guide's stack (a rename destroys and recreates)", () => {
    const { json } = synthStack(guideConfig());
    expect(addresses(json).sort()).toEqual([
      "aws_iam_role.batch_replication",
      "aws_iam_role.replication",
      "aws_iam_role_policy.batch_replication",
      "aws_iam_role_policy.replication",
      "aws_s3_bucket_policy.destination_my-app-data-backup",
      "aws_s3_bucket_replication_configuration.replication",
      "aws_s3_bucket_versioning.destination_my-app-data-backup",
      "aws_s3_bucket_versioning.source",
    ]);
    // The existing-policy guard: check.<name> and its data.aws_s3_bucket_policy.<name>.
    expect(Object.keys(json.check ?? {})).toEqual(["existing_bucket_policy_destination_my-app-data-backup"]);
    expect(
      Object.keys(
        json.check?.["existing_bucket_policy_destination_my-app-data-backup"].data.aws_s3_bucket_policy ?? {},
      ),
    ).toEqual(["existing_destination_my-app-data-backup"]);
    expect(json.provider.aws.map((p) => p.alias)).toEqual(["source", "destination"]);
    expect(Object.keys(json.output).sort()).toEqual([
      "batch_replication_report_location",
      "batch_replication_role_arn",
      "destination_bucket_arns",
      "replication_role_arn",
      "rule_ids",
      "source_bucket_arn",
    ]);
  });

  describe("providers", () => {
    test("pins each provider to its account, Region and profile, with default tags", () => {
      const { text } = synthStack(guideConfig());
      expect(text).toHaveProviderWithProperties(AwsProvider, {
        alias: "source",
        region: "us-east-1",
        profile: "source-account-profile",
        allowed_account_ids: ["111122223333"],
        default_tags: [
          {
            tags: { "managed-by": "s3-cross-account-replication", "replication-stack": "replication-my-app-data-prod" },
          },
        ],
      });
      expect(text).toHaveProviderWithProperties(AwsProvider, {
        alias: "destination",
        region: "us-west-2",
        profile: "destination-account-profile",
        allowed_account_ids: ["444455556666"],
      });
    });

    test("assumes a role when the account names one, with its session name and external id", () => {
      const { text, json } = synthStack(
        configWith((c) => {
          c.accounts.backup.credentials = {
            roleArn: "arn:aws:iam::444455556666:role/replication-deployer",
            sessionName: "pipeline",
            externalId: "ext-123",
          };
        }),
      );
      expect(text).toHaveProviderWithProperties(AwsProvider, {
        alias: "destination",
        assume_role: [
          {
            role_arn: "arn:aws:iam::444455556666:role/replication-deployer",
            session_name: "pipeline",
            external_id: "ext-123",
          },
        ],
      });
      expect(json.provider.aws[1]).not.toHaveProperty("profile");
    });

    test("adds the config's tags to the default tags without losing the project's own", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.tags = { team: "storage", "managed-by": "someone-else" };
        }),
      );
      expect(json.provider.aws[0].default_tags).toEqual([
        {
          tags: {
            team: "storage",
            "managed-by": "s3-cross-account-replication",
            "replication-stack": "replication-my-app-data-prod",
          },
        },
      ]);
    });

    test("gives each destination account its own alias when rules fan out", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.accounts.archive = { accountId: "777788889999", region: "eu-west-1", credentials: { profile: "archive" } };
          c.replications[0].rules.push(
            { id: "archive", priority: 2, destination: { account: "archive", bucket: "my-app-archive" } },
            {
              id: "backup-eu",
              priority: 3,
              destination: { account: "backup", bucket: "my-app-backup-eu", region: "eu-central-1" },
            },
          );
        }),
      );
      expect(json.provider.aws.map((p) => [p.alias, p.region, p.allowed_account_ids])).toEqual([
        ["source", "us-east-1", ["111122223333"]],
        ["destination_backup_us_west_2", "us-west-2", ["444455556666"]],
        ["destination_archive", "eu-west-1", ["777788889999"]],
        ["destination_backup_eu_central_1", "eu-central-1", ["444455556666"]],
      ]);
      expect(resourceAt(json, "aws_s3_bucket_policy.destination_my-app-archive").provider).toBe(
        "aws.destination_archive",
      );
      expect(resourceAt(json, "aws_s3_bucket_versioning.destination_my-app-backup-eu").provider).toBe(
        "aws.destination_backup_eu_central_1",
      );
    });
  });

  describe("state backend", () => {
    test("keeps state in S3 under a key per stack, encrypted, with S3-native locking", () => {
      const { json } = synthStack(guideConfig());
      expect(json.terraform.backend).toEqual({
        s3: {
          bucket: "my-terraform-state",
          key: "s3-replication/replication-my-app-data-prod/terraform.tfstate",
          region: "us-east-1",
          encrypt: true,
          use_lockfile: true,
        },
      });
    });

    test("passes backend credentials when the config names them", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.backend = {
            type: "s3",
            bucket: "state",
            region: "eu-west-1",
            keyPrefix: "team/replication",
            credentials: { roleArn: "arn:aws:iam::999988887777:role/state" },
          };
        }),
      );
      expect(json.terraform.backend.s3).toMatchObject({
        key: "team/replication/replication-my-app-data-prod/terraform.tfstate",
        assume_role: { role_arn: "arn:aws:iam::999988887777:role/state" },
      });
    });

    test("offers a local backend beside the project for trying it out", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.backend = { type: "local" };
        }),
      );
      expect(json.terraform.backend).toEqual({
        local: { path: "../../../terraform.replication-my-app-data-prod.tfstate" },
      });
    });
  });

  describe("versioning", () => {
    test("enables versioning on the source bucket with the source provider", () => {
      const { text, json } = synthStack(guideConfig());
      expect(text).toHaveResourceWithProperties(S3BucketVersioningA, {
        bucket: "my-app-data-prod",
        provider: "aws.source",
        versioning_configuration: { status: "Enabled" },
      });
      expect(resourceAt(json, "aws_s3_bucket_versioning.source").bucket).toBe("my-app-data-prod");
    });

    test("enables versioning on the destination bucket with the destination provider", () => {
      const { text } = synthStack(guideConfig());
      expect(text).toHaveResourceWithProperties(S3BucketVersioningA, {
        bucket: "my-app-data-backup",
        provider: "aws.destination",
        versioning_configuration: { status: "Enabled" },
      });
    });
  });

  describe("replication role", () => {
    test("is trusted by S3 as AWS documents it, without conditions by default", () => {
      const { text, json } = synthStack(guideConfig());
      expect(text).toHaveResourceWithProperties(IamRole, {
        name: "s3-replication-my-app-data-prod",
        path: "/",
        provider: "aws.source",
      });
      expect(policyAt(json, "aws_iam_role.replication", "assume_role_policy")).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "S3AssumeRoleForReplication",
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      });
    });

    test("adds aws:SourceAccount and aws:SourceArn only when the config opts in", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.replications[0].role = { restrictTrustToSourceBucket: true };
        }),
      );
      const [statement] = policyAt(json, "aws_iam_role.replication", "assume_role_policy").Statement;
      expect(statement.Condition).toEqual({
        StringEquals: { "aws:SourceAccount": "111122223333" },
        ArnLike: { "aws:SourceArn": SOURCE },
      });
    });

    test("uses the configured name and path in the role and in every ARN naming it", () => {
      const { json } = synthStack(
        configWith((c) => {
          c.replications[0].role = { name: "S3CrossAccountReplicationRole", path: "/replication/" };
        }),
      );
      const arn = "arn:aws:iam::111122223333:role/replication/S3CrossAccountReplicationRole";
      expect(resourceAt(json, "aws_iam_role.replication")).toMatchObject({
        name: "S3CrossAccountReplicationRole",
        path: "/replication/",
      });
      expect(resourceAt(json, "aws_s3_bucket_replication_configuration.replication").role).toBe(arn);
      const [grant] = policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement;
      expect(grant.Principal).toEqual({ AWS: arn });
      expect(json.output.replication_role_arn.value).toBe(arn);
    });

    test("carries a permissions boundary when the config names one", () => {
      const boundary = "arn:aws:iam::111122223333:policy/org-boundary";
      const { text, json } = synthStack(
        configWith((c) => {
          c.replications[0].role = { permissionsBoundary: boundary };
        }),
      );
      expect(text).toHaveResourceWithProperties(IamRole, { permissions_boundary: boundary });
      expect(resourceAt(synthStack(guideConfig()).json, "aws_iam_role.replication")).not.toHaveProperty(
        "permissions_boundary",
      );
      expect(resourceAt(json, "aws_iam_role.replication").permissions_boundary).toBe(boundary);
    });

    test("attaches the permissions policy by literal name, after the role exists", () => {
      const { text, json } = synthStack(guideConfig());
      expect(text).toHaveResourceWithProperties(IamRolePolicy, {
        name: "S3ReplicationPermissionsPolicy",
        role: "s3-replication-my-app-data-prod",
        provider: "aws.source",
        depends_on: ["aws_iam_role.replication"],
      });
      expect(resourceAt(json, "aws_iam_role_policy.replication").role).toBe("s3-replication-my-app-data-prod");
    });

    test("allows exactly the actions S3 needs, on the buckets the rules name", () => {
      const policy = policyAt(synthStack(guideConfig()).json, "aws_iam_role_policy.replication");
      expect(allowedActions(policy, SOURCE)).toEqual(["s3:GetReplicationConfiguration", "s3:ListBucket"]);
      expect(allowedActions(policy, `${SOURCE}/*`)).toEqual([
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
      ]);
      expect(allowedActions(policy, `${DESTINATION}/*`)).toEqual([
        "s3:ReplicateObject",
        "s3:ReplicateDelete",
        "s3:ReplicateTags",
        "s3:ObjectOwnerOverrideToBucketOwner",
      ]);
    });

    test("has no wildcard action and no Resource *", () => {
      const policy = policyAt(synthStack(guideConfig()).json, "aws_iam_role_policy.replication");
      for (const statement of policy.Statement) {
        expect(list(statement.Action).filter((a) => a.includes("*"))).toEqual([]);
        expect(list(statement.Resource)).not.toContain("*");
      }
    });

    test("leaves owner override out when replicas keep the source owner", () => {
      const config = withRule({ replicaOwner: "source" });
      const policy = policyAt(synthStack(config).json, "aws_iam_role_policy.replication");
      expect(allowedActions(policy, `${DESTINATION}/*`)).not.toContain("s3:ObjectOwnerOverrideToBucketOwner");
    });

    test("scopes source reads to the rules' prefixes when every rule has one", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].filter = { prefix: "logs/" };
        c.replications[0].rules.push(
          {
            id: "b",
            priority: 2,
            filter: { prefix: "logs/app/" },
            destination: c.replications[0].rules[0].destination,
          },
          { id: "c", priority: 3, filter: { prefix: "images/" }, destination: c.replications[0].rules[0].destination },
        );
      });
      const policy = policyAt(synthStack(config).json, "aws_iam_role_policy.replication");
      const reads = policy.Statement.find((s) => s.Sid === "SourceObjectPermissions");
      expect(reads?.Resource).toEqual([`${SOURCE}/images/*`, `${SOURCE}/logs/*`]);
    });

    test("reads the whole source bucket when one rule has no prefix", () => {
      const config = configWith((c) => {
        c.replications[0].rules.push({
          id: "b",
          priority: 2,
          filter: { prefix: "logs/" },
          destination: c.replications[0].rules[0].destination,
        });
      });
      const policy = policyAt(synthStack(config).json, "aws_iam_role_policy.replication");
      expect(policy.Statement.find((s) => s.Sid === "SourceObjectPermissions")?.Resource).toBe(`${SOURCE}/*`);
    });
  });

  describe("destination bucket policy", () => {
    test("grants exactly the role ARN the replication actions, with the destination provider", () => {
      const { text, json } = synthStack(guideConfig());
      expect(text).toHaveResourceWithProperties(S3BucketPolicy, {
        bucket: "my-app-data-backup",
        provider: "aws.destination",
      });
      expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup")).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowReplicationFromSourceRole",
            Effect: "Allow",
            Principal: { AWS: ROLE_ARN },
            Action: [
              "s3:ReplicateObject",
              "s3:ReplicateDelete",
              "s3:ReplicateTags",
              "s3:ObjectOwnerOverrideToBucketOwner",
            ],
            Resource: `${DESTINATION}/*`,
          },
          {
            Sid: "AllowReplicationVersioningCheck",
            Effect: "Allow",
            Principal: { AWS: ROLE_ARN },
            Action: ["s3:GetBucketVersioning"],
            Resource: DESTINATION,
          },
        ],
      });
    });

    test("is created after the role it names and rewritten when the role is recreated", () => {
      const policy = resourceAt(synthStack(guideConfig()).json, "aws_s3_bucket_policy.destination_my-app-data-backup");
      expect(policy.depends_on).toEqual(["aws_iam_role.replication"]);
      expect(policy.lifecycle).toEqual({ replace_triggered_by: ["aws_iam_role.replication.unique_id"] });
    });

    test("keeps the statements the config lists, after the replication grant", () => {
      const keep = {
        Sid: "DenyInsecureTransport",
        Effect: "Deny" as const,
        Principal: "*",
        Action: "s3:*",
        Resource: [DESTINATION, `${DESTINATION}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      };
      const config = configWith((c) => {
        c.replications[0].destinationPolicies = { "my-app-data-backup": { additionalStatements: [keep] } };
      });
      const policy = policyAt(synthStack(config).json, "aws_s3_bucket_policy.destination_my-app-data-backup");
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        "AllowReplicationFromSourceRole",
        "AllowReplicationVersioningCheck",
        "DenyInsecureTransport",
      ]);
      expect(policy.Statement[2]).toEqual(keep);
    });

    test("leaves owner override out when replicas keep the source owner", () => {
      const policy = policyAt(
        synthStack(withRule({ replicaOwner: "source" })).json,
        "aws_s3_bucket_policy.destination_my-app-data-backup",
      );
      expect(policy.Statement[0].Action).toEqual(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]);
    });
  });

  describe("replication configuration", () => {
    test("writes the guide's rule in the V2 form on the source bucket", () => {
      const { text } = synthStack(guideConfig());
      expect(text).toHaveResourceWithProperties(S3BucketReplicationConfigurationA, {
        bucket: "my-app-data-prod",
        role: ROLE_ARN,
        provider: "aws.source",
        rule: [
          {
            id: "CrossAccountReplicationRule",
            priority: 1,
            status: "Enabled",
            filter: {},
            delete_marker_replication: { status: "Enabled" },
            destination: {
              bucket: DESTINATION,
              account: "444455556666",
              access_control_translation: { owner: "Destination" },
            },
          },
        ],
      });
    });

    test("waits for versioning on both buckets, the role policy and the bucket policy", () => {
      const configuration = resourceAt(
        synthStack(guideConfig()).json,
        "aws_s3_bucket_replication_configuration.replication",
      );
      expect(configuration.depends_on).toEqual([
        "aws_s3_bucket_versioning.source",
        "aws_s3_bucket_versioning.destination_my-app-data-backup",
        "aws_iam_role_policy.replication",
        "aws_s3_bucket_policy.destination_my-app-data-backup",
      ]);
    });

    describe("filter", () => {
      test("is an empty block (whole bucket) without a filter", () => {
        expect(rulesOf(guideConfig())[0].filter).toEqual({});
      });

      test("is a prefix", () => {
        expect(rulesOf(withRule({ filter: { prefix: "logs/" } }))[0].filter).toEqual({ prefix: "logs/" });
      });

      test("is a tag for a single tag", () => {
        const config = withRule({ filter: { tags: { replicate: "true" } }, deleteMarkerReplication: false });
        expect(rulesOf(config)[0].filter).toEqual({ tag: { key: "replicate", value: "true" } });
      });

      test("is an and block for several tags, sorted by key", () => {
        const config = withRule({ filter: { tags: { b: "2", a: "1" } }, deleteMarkerReplication: false });
        const [rule] = rulesOf(config);
        expect(rule.filter).toEqual({ and: { tags: { a: "1", b: "2" } } });
        expect(Object.keys(rule.filter.and.tags)).toEqual(["a", "b"]);
      });

      test("is an and block for a prefix with tags", () => {
        const config = withRule({ filter: { prefix: "logs/", tags: { a: "1" } }, deleteMarkerReplication: false });
        expect(rulesOf(config)[0].filter).toEqual({ and: { prefix: "logs/", tags: { a: "1" } } });
      });

      test("treats an empty prefix as no filter", () => {
        expect(rulesOf(withRule({ filter: { prefix: "" } }))[0].filter).toEqual({});
      });
    });

    test("always states delete-marker replication, Disabled when off", () => {
      const [rule] = rulesOf(withRule({ deleteMarkerReplication: false }));
      expect(rule.delete_marker_replication).toEqual({ status: "Disabled" });
    });

    test("writes a disabled rule as Disabled", () => {
      expect(rulesOf(withRule({ enabled: false }))[0].status).toBe("Disabled");
    });

    test("omits access_control_translation when replicas keep the source owner", () => {
      const [rule] = rulesOf(withRule({ replicaOwner: "source" }));
      expect(rule.destination).toEqual({ bucket: DESTINATION, account: "444455556666" });
    });
  });

  describe("outputs", () => {
    test("names the role, the buckets and the rule ids", () => {
      const { json } = synthStack(guideConfig());
      expect(json.output.replication_role_arn.value).toBe(ROLE_ARN);
      expect(json.output.source_bucket_arn.value).toBe(SOURCE);
      expect(json.output.destination_bucket_arns.value).toEqual({ "my-app-data-backup": DESTINATION });
      expect(json.output.rule_ids.value).toEqual(["CrossAccountReplicationRule"]);
    });
  });

  test("contains no credentials, only profile and role names", () => {
    const { text } = synthStack(guideConfig());
    expect(text).not.toMatch(/access_key|secret_key|token/);
  });
});
