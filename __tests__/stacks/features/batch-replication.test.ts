import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { configWith, guideConfig, policyAt, resourceAt, synthStack } from "../../helpers/config";

describe("Batch Replication role (for npm run backfill)", () => {
  const { text, json } = synthStack(guideConfig());

  test("is trusted by S3 Batch Operations only, in the source account", () => {
    expect(text).toHaveResourceWithProperties(IamRole, {
      name: "s3-batch-replication-my-app-data-prod",
      provider: "aws.source",
    });
    expect(policyAt(json, "aws_iam_role.batch_replication", "assume_role_policy").Statement).toEqual([
      {
        Sid: "BatchOperationsAssumeRole",
        Effect: "Allow",
        Principal: { Service: "batchoperations.s3.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
  });

  test("may start replication, generate the manifest and write the report, nothing else", () => {
    expect(policyAt(json, "aws_iam_role_policy.batch_replication").Statement).toEqual([
      {
        Sid: "InitiateReplication",
        Effect: "Allow",
        Action: ["s3:InitiateReplication"],
        Resource: "arn:aws:s3:::my-app-data-prod/*",
      },
      {
        Sid: "GenerateManifest",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"],
        Resource: "arn:aws:s3:::my-app-data-prod",
      },
      {
        Sid: "WriteCompletionReport",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: "arn:aws:s3:::my-app-data-prod/batch-replication-reports/*",
      },
    ]);
    expect(resourceAt(json, "aws_iam_role_policy.batch_replication").depends_on).toEqual([
      "aws_iam_role.batch_replication",
    ]);
  });

  test("outputs the role and the report location", () => {
    expect(json.output.batch_replication_role_arn.value).toBe(
      "arn:aws:iam::111122223333:role/s3-batch-replication-my-app-data-prod",
    );
    expect(json.output.batch_replication_report_location.value).toBe(
      "s3://my-app-data-prod/batch-replication-reports/",
    );
  });

  test("writes reports where the config says", () => {
    const config = configWith((c) => {
      c.replications[0].batchReplication = { reportBucket: "ops-reports", reportPrefix: "replication/" };
    });
    const stack = synthStack(config).json;
    expect(policyAt(stack, "aws_iam_role_policy.batch_replication").Statement[2].Resource).toBe(
      "arn:aws:s3:::ops-reports/replication/*",
    );
    expect(stack.output.batch_replication_report_location.value).toBe("s3://ops-reports/replication/");
  });
});
