/**
 * The summary shows every change, not only policies: each changed attribute before and after,
 * the replication configuration rule by rule keyed by rule id, versioning, key settings and
 * alarms. The fixtures are `terraform show -json` of real plans (Terraform 1.11.4, hashicorp/aws
 * 5.100.0, against the emulator): the default config after its first apply with its rule changed
 * (delete markers off, a prefix, another destination bucket), rtc-monitoring with its latency
 * threshold and storage class changed, and examples/kms.json's first plan.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { attributeChanges } from "../../lib/plan/attribute-changes";
import { summarizePlan } from "../../lib/plan/plan-summary";
import { ruleDifferences, rulesFromPlan, rulesFromS3, rulesFromSynth } from "../../lib/plan/replication-rules";
import { summaryMarkdown } from "../../lib/plan/summary-markdown";
import { exampleConfig, synthStack } from "../helpers/config";

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "../fixtures/plans", name), "utf8"));
const resource = (plan: ReturnType<typeof fixture>, address: string) =>
  plan.resource_changes.find((rc: { address: string }) => rc.address === address);

/** The lines of the summary from a resource's heading to the next blank line after its list. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start + 1 && line === "");
  return lines.slice(start, end);
}

describe("the summary of a rule change", () => {
  const plan = fixture("rule-change.json");
  const markdown = summaryMarkdown(summarizePlan("replication-my-app-data-prod", plan));

  test("shows the rule by its id, with each changed field before and after", () => {
    expect(section(markdown, "**change `aws_s3_bucket_replication_configuration.replication`**")).toEqual([
      "**change `aws_s3_bucket_replication_configuration.replication`**",
      "",
      "- rule `CrossAccountReplicationRule` changes:",
      "  - filter prefix: (none) → `invoices/`",
      "  - destination bucket: `arn:aws:s3:::my-app-data-backup` → `arn:aws:s3:::my-app-data-elsewhere`",
      "  - delete markers: `Enabled` → `Disabled`",
    ]);
  });

  test("warns that a rule keeping its id now sends the data elsewhere", () => {
    expect(markdown).toContain(
      "> **WARNING: rule `CrossAccountReplicationRule` of `aws_s3_bucket_replication_configuration.replication` keeps its id but replicates to another destination (destination bucket: `arn:aws:s3:::my-app-data-backup` → `arn:aws:s3:::my-app-data-elsewhere`): the data now goes elsewhere**",
    );
  });

  test("shows the versioning a new destination gets", () => {
    expect(section(markdown, "**add `aws_s3_bucket_versioning.destination_my-app-data-elsewhere`**")).toEqual([
      "**add `aws_s3_bucket_versioning.destination_my-app-data-elsewhere`**",
      "",
      "- bucket: `my-app-data-elsewhere`",
      "- versioning status: `Enabled`",
    ]);
  });
});

describe("the summary of alarms and other rule fields", () => {
  const markdown = summaryMarkdown(
    summarizePlan("replication-acme-orders-prod", fixture("alarm-and-storage-class.json")),
  );

  test("shows an alarm's changed threshold and description", () => {
    expect(section(markdown, "**change `aws_cloudwatch_metric_alarm.latency_orders-rtc`**")).toEqual([
      "**change `aws_cloudwatch_metric_alarm.latency_orders-rtc`**",
      "",
      "- description: `Replication lags more than 900 s behind the source` → `Replication lags more than 600 s behind the source`",
      "- threshold: `900` → `600`",
    ]);
  });

  test("shows a storage class change, and nothing for a filter Terraform spells differently", () => {
    expect(section(markdown, "**change `aws_s3_bucket_replication_configuration.replication`**")).toEqual([
      "**change `aws_s3_bucket_replication_configuration.replication`**",
      "",
      "- rule `orders-rtc` changes:",
      "  - storage class: (the source object's) → `STANDARD_IA`",
    ]);
  });
});

describe("the summary of a first apply with SSE-KMS", () => {
  const plan = fixture("kms-first-apply.json");
  const markdown = summaryMarkdown(summarizePlan("replication-acme-payments-prod", plan));

  test("shows a created key's settings", () => {
    expect(section(markdown, "**add `aws_kms_key.replica_acme-ledgers-archive`**")).toEqual([
      "**add `aws_kms_key.replica_acme-ledgers-archive`**",
      "",
      "- bypass the policy lockout safety check: `false`",
      "- key spec: `SYMMETRIC_DEFAULT`",
      "- deletion window (days): `30`",
      "- description: `SSE-KMS replicas in acme-ledgers-archive, replicated from acme-payments-prod`",
      "- key rotation: `true`",
      "- key enabled: `true`",
      "- key usage: `ENCRYPT_DECRYPT`",
      "- tag managed-by: `s3-cross-account-replication`",
      "- tag replication-stack: `replication-acme-payments-prod`",
    ]);
  });

  test("shows every field of each new rule, and a created key's ARN as known after apply", () => {
    const lines = section(markdown, "**add `aws_s3_bucket_replication_configuration.replication`**");
    expect(lines.slice(lines.indexOf("- rule `ledgers-to-archive` is added:"))).toEqual([
      "- rule `ledgers-to-archive` is added:",
      "  - status: `Enabled`",
      "  - priority: `2`",
      "  - filter prefix: `ledgers/`",
      "  - filter tags: (none)",
      "  - destination bucket: `arn:aws:s3:::acme-ledgers-archive`",
      "  - destination account: `444455556666`",
      "  - storage class: (the source object's)",
      "  - delete markers: `Disabled`",
      "  - RTC: `Disabled`",
      "  - metrics: `Disabled`",
      "  - replica KMS key: (known after apply)",
      "  - owner override: `Destination`",
      "  - existing-object replication: `Disabled`",
      "  - SSE-KMS objects: `Enabled`",
      "  - replica modifications: `Disabled`",
      "- bucket: `acme-payments-prod`",
      "- replication role: `arn:aws:iam::111122223333:role/s3-replication-acme-payments-prod`",
    ]);
  });

  test("leaves out what Terraform learns only on create (ids, ARNs)", () => {
    expect(
      attributeChanges(resource(plan, "aws_kms_key.replica_acme-ledgers-archive")).map((a) => a.label),
    ).not.toContain("key id");
  });
});

describe("rules compare the same whatever they were read from", () => {
  test("a live rule as S3 returns it equals the same rule in a plan", () => {
    const [planned] = rulesFromPlan(
      resource(fixture("rule-change.json"), "aws_s3_bucket_replication_configuration.replication").change.before.rule,
    );
    const [live] = rulesFromS3([
      {
        ID: "CrossAccountReplicationRule",
        Priority: 1,
        Filter: {},
        Status: "Enabled",
        Destination: {
          Bucket: "arn:aws:s3:::my-app-data-backup",
          Account: "444455556666",
          AccessControlTranslation: { Owner: "Destination" },
        },
        DeleteMarkerReplication: { Status: "Enabled" },
      },
    ]);
    expect(ruleDifferences(live, planned)).toEqual([]);
    expect(ruleDifferences({ ...live, destinationAccount: "999988887777" }, planned)).toEqual([
      { field: "destinationAccount", before: "999988887777", after: "444455556666" },
    ]);
  });

  test("the synthesized JSON's rules equal the planned ones, a created key's ARN unknown in both", () => {
    const { json } = synthStack(exampleConfig("kms"));
    const synthesized = rulesFromSynth((json.resource as any).aws_s3_bucket_replication_configuration.replication.rule);
    const change = resource(
      fixture("kms-first-apply.json"),
      "aws_s3_bucket_replication_configuration.replication",
    ).change;
    const planned = rulesFromPlan(change.after.rule, change.after_unknown.rule);
    expect(synthesized).toEqual(planned);
    expect(planned[1].replicaKmsKey).toBe("(known after apply)");
  });
});
