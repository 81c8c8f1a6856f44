// A stack of several replications (per-account, single, or a stack the config names): every
// per-replication address and output carries the source bucket, providers are one per account and
// Region, and what both sides of the stack share is ordered by depends_on. Addresses are pinned:
// renaming one destroys and recreates the resource.
import type { ConfigInput } from "../../lib/config/schema";
import { addresses, configWith, exampleConfig, type TerraformJson } from "../helpers/config";
import { stacksOf } from "../helpers/synth-run";

type Json = Record<string, any>;

function layout(name: string, stackLayout: "per-account" | "single", edit?: (c: ConfigInput) => void): ConfigInput {
  const config = { ...exampleConfig(name), stackLayout };
  edit?.(config);
  return config;
}

const resource = (json: TerraformJson, address: string): Json => {
  const [type, name] = address.split(".");
  return json.resource[type][name] as Json;
};
const dependsOn = (json: TerraformJson, address: string) => resource(json, address).depends_on;
const removed = (json: TerraformJson) => ((json as Json).removed ?? []).map((r: Json) => r.from);

describe("grouped stacks", () => {
  describe("two-way replication in one stack (single)", () => {
    const stacks = stacksOf(layout("two-way", "single"));
    const all = stacks["replication-all"];

    test("is one stack whose addresses all carry their bucket", () => {
      expect(Object.keys(stacks)).toEqual(["replication-all"]);
      expect(addresses(all).sort()).toEqual([
        "aws_iam_role.batch_replication_acme-shared-east",
        "aws_iam_role.batch_replication_acme-shared-west",
        "aws_iam_role.replication_acme-shared-east",
        "aws_iam_role.replication_acme-shared-west",
        "aws_iam_role_policy.batch_replication_acme-shared-east",
        "aws_iam_role_policy.batch_replication_acme-shared-west",
        "aws_iam_role_policy.replication_acme-shared-east",
        "aws_iam_role_policy.replication_acme-shared-west",
        "aws_s3_bucket_policy.destination_acme-shared-east",
        "aws_s3_bucket_policy.destination_acme-shared-west",
        "aws_s3_bucket_replication_configuration.replication_acme-shared-east",
        "aws_s3_bucket_replication_configuration.replication_acme-shared-west",
        "aws_s3_bucket_versioning.destination_acme-shared-west",
        "aws_s3_bucket_versioning.source_acme-shared-east",
      ]);
      expect(Object.keys(all.output).sort()).toEqual([
        "batch_replication_report_location_acme-shared-east",
        "batch_replication_report_location_acme-shared-west",
        "batch_replication_role_arn_acme-shared-east",
        "batch_replication_role_arn_acme-shared-west",
        "destination_bucket_arns_acme-shared-east",
        "destination_bucket_arns_acme-shared-west",
        "replication_role_arn_acme-shared-east",
        "replication_role_arn_acme-shared-west",
        "rule_ids_acme-shared-east",
        "rule_ids_acme-shared-west",
        "source_bucket_arn_acme-shared-east",
        "source_bucket_arn_acme-shared-west",
      ]);
    });

    test("has one provider per account and Region, each pinned, tagged with the stack", () => {
      expect(
        all.provider.aws.map((p) => [p.alias, p.region, p.allowed_account_ids, (p.default_tags as Json[])[0].tags]),
      ).toEqual([
        [
          "prod_us_east_1",
          "us-east-1",
          ["111122223333"],
          { "managed-by": "s3-cross-account-replication", "replication-stack": "replication-all" },
        ],
        [
          "backup_us_west_2",
          "us-west-2",
          ["444455556666"],
          { "managed-by": "s3-cross-account-replication", "replication-stack": "replication-all" },
        ],
      ]);
      expect(resource(all, "aws_s3_bucket_policy.destination_acme-shared-east").provider).toBe("aws.prod_us_east_1");
      expect(resource(all, "aws_s3_bucket_versioning.destination_acme-shared-west").provider).toBe(
        "aws.backup_us_west_2",
      );
    });

    test("orders each configuration after both buckets' versioning, its role policy and its bucket policy", () => {
      expect(dependsOn(all, "aws_s3_bucket_replication_configuration.replication_acme-shared-east")).toEqual([
        "aws_s3_bucket_versioning.source_acme-shared-east",
        "aws_s3_bucket_versioning.destination_acme-shared-west",
        "aws_iam_role_policy.replication_acme-shared-east",
        "aws_s3_bucket_policy.destination_acme-shared-west",
      ]);
      expect(dependsOn(all, "aws_s3_bucket_replication_configuration.replication_acme-shared-west")).toEqual([
        "aws_s3_bucket_versioning.destination_acme-shared-west",
        "aws_s3_bucket_versioning.source_acme-shared-east",
        "aws_iam_role_policy.replication_acme-shared-west",
        "aws_s3_bucket_policy.destination_acme-shared-east",
      ]);
      expect(dependsOn(all, "aws_s3_bucket_policy.destination_acme-shared-east")).toEqual([
        "aws_iam_role.replication_acme-shared-west",
      ]);
    });

    test("guards each existing bucket's policy, on its account's provider", () => {
      expect(Object.keys(all.check ?? {}).sort()).toEqual([
        "existing_bucket_policy_destination_acme-shared-east",
        "existing_bucket_policy_destination_acme-shared-west",
      ]);
      expect(all.check?.["existing_bucket_policy_destination_acme-shared-east"].data.aws_s3_bucket_policy).toEqual({
        "existing_destination_acme-shared-east": { provider: "aws.prod_us_east_1", bucket: "acme-shared-east" },
      });
    });

    test("names what it creates in AWS by the replication, not the stack", () => {
      expect(resource(all, "aws_iam_role.replication_acme-shared-east").description).toBe(
        "S3 replication from acme-shared-east (replication-acme-shared-east)",
      );
      expect(resource(all, "aws_iam_role.batch_replication_acme-shared-west").description).toBe(
        "S3 Batch Replication of existing objects in acme-shared-west (replication-acme-shared-west)",
      );
    });
  });

  describe("a central log archive in one stack (single)", () => {
    const all = stacksOf(layout("central-log-archive", "single"))["replication-all"];
    const configuration = "aws_s3_bucket_replication_configuration.replication_acme-payments-logs";

    test("holds the shared destination's side at the addresses of its own stack", () => {
      expect(
        addresses(all)
          .filter((a) => a.includes("central-log-archive"))
          .sort(),
      ).toEqual([
        "aws_kms_alias.replica_acme-central-log-archive",
        "aws_kms_key.replica_acme-central-log-archive",
        "aws_s3_bucket.destination_acme-central-log-archive",
        "aws_s3_bucket_ownership_controls.destination_acme-central-log-archive",
        "aws_s3_bucket_policy.destination_acme-central-log-archive",
        "aws_s3_bucket_public_access_block.destination_acme-central-log-archive",
        "aws_s3_bucket_server_side_encryption_configuration.destination_acme-central-log-archive",
        "aws_s3_bucket_versioning.destination_acme-central-log-archive",
      ]);
      expect(Object.keys(all.output).filter((o) => o.includes("central-log-archive"))).toEqual([
        "destination_bucket_arn_acme-central-log-archive",
        "replica_key_arn_acme-central-log-archive",
      ]);
    });

    test("orders each source's configuration after the shared bucket's versioning, policy and key", () => {
      expect(dependsOn(all, configuration)).toEqual([
        "aws_s3_bucket_versioning.source_acme-payments-logs",
        "aws_iam_role_policy.replication_acme-payments-logs",
        "aws_iam_role_policy.kms_replication_acme-payments-logs",
        "aws_s3_bucket_versioning.destination_acme-central-log-archive",
        "aws_s3_bucket_policy.destination_acme-central-log-archive",
        "aws_kms_key.replica_acme-central-log-archive",
        "aws_kms_alias.replica_acme-central-log-archive",
      ]);
    });

    test("hands nothing over: the shared side keeps its addresses in the same stack", () => {
      expect(removed(all)).toEqual([]);
    });
  });

  describe("sources of one account writing into a shared destination (per-account)", () => {
    const stacks = stacksOf(
      layout("central-log-archive", "per-account", (c) => {
        c.replications[1].source = { ...c.replications[1].source, account: "payments" };
        c.replications[1].source.sseKmsKeyArns = [
          "arn:aws:kms:us-east-1:111122223333:key/22223333-1111-4e5f-8a9b-0c1d2e3f4a5b",
        ];
      }),
    );

    test("forgets the shared destination's one-to-one resources once, in a removed block each", () => {
      expect(Object.keys(stacks).sort()).toEqual([
        "replication-account-analytics",
        "replication-account-payments",
        "replication-destination-acme-central-log-archive",
      ]);
      expect(removed(stacks["replication-account-payments"])).toEqual([
        "aws_s3_bucket_versioning.destination_acme-central-log-archive",
        "aws_s3_bucket_policy.destination_acme-central-log-archive",
        "aws_s3_bucket.destination_acme-central-log-archive",
        "aws_s3_bucket_public_access_block.destination_acme-central-log-archive",
        "aws_s3_bucket_ownership_controls.destination_acme-central-log-archive",
        "aws_s3_bucket_server_side_encryption_configuration.destination_acme-central-log-archive",
        "aws_kms_key.replica_acme-central-log-archive",
        "aws_kms_alias.replica_acme-central-log-archive",
      ]);
    });

    test("keeps the shared destination's own stack as in the per-bucket layout, but for the stacks it names", () => {
      const name = "replication-destination-acme-central-log-archive";
      const perAccount = stacksOf(layout("central-log-archive", "per-account"))[name] as Json;
      const perBucket = stacksOf(exampleConfig("central-log-archive"))[name] as Json;
      const { output: accountOutputs, ...accountRest } = perAccount;
      const { output: bucketOutputs, ...bucketRest } = perBucket;
      expect(accountRest).toEqual(bucketRest);
      expect({ ...accountOutputs, source_stacks: undefined }).toEqual({ ...bucketOutputs, source_stacks: undefined });
      expect(accountOutputs.source_stacks.value).toEqual([
        "replication-account-payments",
        "replication-account-search",
        "replication-account-analytics",
      ]);
    });
  });

  test("a source that is also a shared destination in its stack waits for that side's versioning", () => {
    const stacks = stacksOf(
      layout("two-way", "single", (c) => {
        c.replications.push({
          source: { account: "prod", bucket: "acme-shared-east-logs" },
          rules: [{ id: "logs", priority: 1, destination: { account: "backup", bucket: "acme-shared-west" } }],
        });
      }),
    );
    const all = stacks["replication-all"];
    expect(dependsOn(all, "aws_s3_bucket_replication_configuration.replication_acme-shared-west")).toEqual([
      "aws_s3_bucket_versioning.source_acme-shared-east",
      "aws_iam_role_policy.replication_acme-shared-west",
      "aws_s3_bucket_policy.destination_acme-shared-east",
      "aws_s3_bucket_versioning.destination_acme-shared-west",
      "aws_s3_bucket_policy.destination_acme-shared-west",
    ]);
  });

  test("adding a replication to a stack renames nothing that was there", () => {
    const one = configWith((c) => {
      c.stackLayout = "per-account";
    });
    const two = configWith((c) => {
      c.stackLayout = "per-account";
      c.replications.push({
        source: { account: "source", bucket: "my-app-logs-prod" },
        rules: [{ id: "logs", priority: 1, destination: { account: "backup", bucket: "my-app-logs-backup" } }],
      });
    });
    const before = stacksOf(one)["replication-account-source"];
    const after = stacksOf(two)["replication-account-source"];
    expect(addresses(after)).toEqual(expect.arrayContaining(addresses(before)));
    expect(after.provider.aws.map((p) => p.alias)).toEqual(before.provider.aws.map((p) => p.alias));
    expect(addresses(before).sort()).toEqual([
      "aws_iam_role.batch_replication_my-app-data-prod",
      "aws_iam_role.replication_my-app-data-prod",
      "aws_iam_role_policy.batch_replication_my-app-data-prod",
      "aws_iam_role_policy.replication_my-app-data-prod",
      "aws_s3_bucket_policy.destination_my-app-data-backup",
      "aws_s3_bucket_replication_configuration.replication_my-app-data-prod",
      "aws_s3_bucket_versioning.destination_my-app-data-backup",
      "aws_s3_bucket_versioning.source_my-app-data-prod",
    ]);
  });

  test("alarms carry the bucket and the rule, and name themselves by the replication", () => {
    const stack = stacksOf(layout("rtc-monitoring", "per-account"))["replication-account-prod"];
    expect(
      addresses(stack)
        .filter((a) => /alarm|sns/.test(a))
        .sort(),
    ).toEqual([
      "aws_cloudwatch_metric_alarm.failed_acme-orders-prod__orders-rtc",
      "aws_cloudwatch_metric_alarm.latency_acme-orders-prod__orders-rtc",
      "aws_sns_topic.replication_alarms_acme-orders-prod",
      "aws_sns_topic_subscription.replication_alarms_email_acme-orders-prod",
    ]);
    expect(resource(stack, "aws_sns_topic.replication_alarms_acme-orders-prod").name).toBe(
      "replication-acme-orders-prod-alarms",
    );
    expect(resource(stack, "aws_cloudwatch_metric_alarm.failed_acme-orders-prod__orders-rtc").alarm_name).toBe(
      "replication-acme-orders-prod/orders-rtc/OperationsFailedReplication",
    );
  });

  test("a KMS role policy and existing-key statements carry the bucket", () => {
    const stack = stacksOf(layout("kms", "per-account"))["replication-account-prod"];
    expect(
      addresses(stack)
        .filter((a) => a.startsWith("aws_iam_role_policy."))
        .sort(),
    ).toEqual([
      "aws_iam_role_policy.batch_replication_acme-payments-prod",
      "aws_iam_role_policy.kms_replication_acme-payments-prod",
      "aws_iam_role_policy.replication_acme-payments-prod",
    ]);
    expect(Object.keys(stack.output)).toContain("replica_key_policy_statements_acme-payments-prod");
  });
});
