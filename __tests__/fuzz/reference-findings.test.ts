/**
 * The fuzz oracle's reference (reference.ts): it agrees with the product on every shipped config,
 * and each edit of the synthesized JSON that changes what replicates where is a finding, worded
 * here literally.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exampleConfig, guideConfig } from "../helpers/config";
import { synthRun, writeConfig } from "../helpers/synth-run";
import { runCase } from "./config-fuzz";
import { referenceFindings } from "./reference-findings";

type Json = Record<string, any>;

/** Synthesizes `config` and reads every stack's cdk.tf.json as written. */
function synthesize(config: object): { stacks: Map<string, Json>; outdir: string } {
  const run = synthRun(writeConfig(config));
  if (run.code !== 0) throw new Error(run.stderr.join("\n"));
  const dir = join(run.outdir, "stacks");
  const stacks = new Map<string, Json>(
    readdirSync(dir).map((s) => [s, JSON.parse(readFileSync(join(dir, s, "cdk.tf.json"), "utf8"))]),
  );
  return { stacks, outdir: run.outdir };
}

describe("fuzz reference", () => {
  test.each(["guide", ...readdirSync(join(__dirname, "../../examples")).filter((f) => f.endsWith(".json"))])(
    "agrees with the product on %s",
    (name) => {
      const config = name === "guide" ? guideConfig() : exampleConfig(name.replace(/\.json$/, ""));
      const result = runCase(Buffer.from(JSON.stringify(config)));
      expect(result.outcome).toBe("accepted");
      expect(result.findings).toEqual([]);
    },
  );

  describe("on the kms example", () => {
    const config = exampleConfig("kms");
    const base = synthesize(config);
    const STACK = "replication-acme-payments-prod";
    const findingsAfter = (edit: (stack: Json, stacks: Map<string, Json>) => void): string[] => {
      const stacks = new Map([...base.stacks].map(([name, json]) => [name, structuredClone(json)]));
      edit(stacks.get(STACK) as Json, stacks);
      return referenceFindings(config, stacks, base.outdir).findings;
    };
    const rules = (stack: Json): Json[] => stack.resource.aws_s3_bucket_replication_configuration.replication.rule;
    const rule = (stack: Json, id: string): Json => rules(stack).find((r) => r.id === id) as Json;

    test("the unedited stacks: no finding, and what was compared", () => {
      expect(referenceFindings(config, base.stacks, base.outdir)).toEqual({
        findings: [],
        coverage: {
          stacks: 1,
          rules: 2,
          "rules with a prefix": 1,
          "rules replicating delete markers": 1,
          "rules with owner override": 2,
          "rules with a replica key (existing)": 1,
          "rules with a replica key (created)": 1,
          "configurations waiting for aws_s3_bucket_versioning in their stack": 3,
          "configurations waiting for aws_s3_bucket_policy in their stack": 2,
        },
      });
    });

    test("a prefix dropped", () => {
      expect(findingsAfter((s) => delete rule(s, "ledgers-to-archive").filter.prefix)).toEqual([
        'replication-acme-payments-prod: rule "ledgers-to-archive": prefix "", config says "ledgers/"',
      ]);
    });

    test("delete markers flipped", () => {
      expect(
        findingsAfter((s) => {
          rule(s, "payments-to-backup").delete_marker_replication.status = "Disabled";
          rule(s, "ledgers-to-archive").delete_marker_replication.status = "Enabled";
        }),
      ).toEqual([
        'replication-acme-payments-prod: rule "payments-to-backup": delete-marker replication "Disabled", config says "Enabled"',
        'replication-acme-payments-prod: rule "ledgers-to-archive": delete-marker replication "Enabled", config says "Disabled"',
      ]);
    });

    test("the rule's destination account swapped", () => {
      expect(findingsAfter((s) => (rule(s, "payments-to-backup").destination.account = "111122223333"))).toEqual([
        'replication-acme-payments-prod: rule "payments-to-backup": destination account "111122223333", config says "444455556666"',
      ]);
    });

    test("the destination provider pinned to the source account", () => {
      const provider = (account: string) =>
        `{"account":"${account}","profile":"destination-account-profile","region":"us-west-2","tags":{"managed-by":"(set)","replication-stack":"replication-acme-payments-prod"}}`;
      const wrong = "written with account 111122223333 in us-west-2, not account 444455556666 in us-west-2";
      expect(findingsAfter((s) => (s.provider.aws[1].allowed_account_ids = ["111122223333"]))).toEqual([
        `replication-acme-payments-prod: no provider ${provider("444455556666")}`,
        `replication-acme-payments-prod: provider ${provider("111122223333")} is not in the config`,
        'replication-acme-payments-prod: rule "ledgers-to-archive": replica key ${aws_kms_key.replica_acme-ledgers-archive.arn}, not the ARN of the key the stack creates with alias alias/acme-ledgers-replicas',
        `replication-acme-payments-prod: aws_s3_bucket_versioning on acme-payments-backup is ${wrong}`,
        `replication-acme-payments-prod: aws_s3_bucket_policy on acme-payments-backup is ${wrong}`,
        `replication-acme-payments-prod: aws_s3_bucket_versioning on acme-ledgers-archive is ${wrong}`,
        `replication-acme-payments-prod: aws_s3_bucket_policy on acme-ledgers-archive is ${wrong}`,
        "replication-acme-payments-prod: key alias/acme-ledgers-replicas is created with account 111122223333 in us-west-2, not account 444455556666 in us-west-2",
      ]);
    });

    test("a rule lost, and one the config does not have", () => {
      expect(findingsAfter((s) => rules(s).splice(1, 1))).toEqual([
        'replication-acme-payments-prod: rule "ledgers-to-archive" is missing',
      ]);
      expect(findingsAfter((s) => rules(s).push({ ...rule(s, "ledgers-to-archive"), id: "extra" }))).toEqual([
        'replication-acme-payments-prod: rule "extra" is not in the config',
      ]);
    });

    test("priority, status, tags, storage class, owner override, RTC and metrics changed", () => {
      expect(
        findingsAfter((s) => {
          const r = rule(s, "payments-to-backup");
          r.priority = 7;
          r.status = "Disabled";
          r.filter = { and: { prefix: "a/", tags: { k: "v" } } };
          r.destination.storage_class = "GLACIER";
          delete r.destination.access_control_translation;
          r.destination.replication_time = { status: "Enabled", time: { minutes: 15 } };
          r.destination.metrics = { status: "Enabled", event_threshold: { minutes: 15 } };
          r.source_selection_criteria.replica_modifications = { status: "Enabled" };
        }),
      ).toEqual([
        'replication-acme-payments-prod: rule "payments-to-backup": priority 7, config says 1',
        'replication-acme-payments-prod: rule "payments-to-backup": status "Disabled", config says "Enabled"',
        'replication-acme-payments-prod: rule "payments-to-backup": prefix "a/", config says ""',
        'replication-acme-payments-prod: rule "payments-to-backup": tags {"k":"v"}, config says {}',
        'replication-acme-payments-prod: rule "payments-to-backup": owner override null, config says {"owner":"Destination"}',
        'replication-acme-payments-prod: rule "payments-to-backup": storage class "GLACIER", config says null',
        'replication-acme-payments-prod: rule "payments-to-backup": replica modifications "Enabled", config says "Disabled"',
        'replication-acme-payments-prod: rule "payments-to-backup": RTC {"status":"Enabled","time":{"minutes":15}}, config says null',
        'replication-acme-payments-prod: rule "payments-to-backup": metrics {"status":"Enabled","event_threshold":{"minutes":15}}, config says null',
      ]);
    });

    test("a filter with two forms, which S3 refuses", () => {
      expect(findingsAfter((s) => (rule(s, "ledgers-to-archive").filter.tag = { key: "k", value: "v" }))).toEqual([
        'replication-acme-payments-prod: rule "ledgers-to-archive": the filter holds prefix and tag, S3 takes one',
        'replication-acme-payments-prod: rule "ledgers-to-archive": tags {"k":"v"}, config says {}',
      ]);
    });

    test("replica keys swapped, and SSE-KMS objects left out", () => {
      expect(
        findingsAfter((s) => {
          const existing = rule(s, "payments-to-backup").destination.encryption_configuration;
          const created = rule(s, "ledgers-to-archive").destination.encryption_configuration;
          [existing.replica_kms_key_id, created.replica_kms_key_id] = [
            created.replica_kms_key_id,
            existing.replica_kms_key_id,
          ];
          delete rule(s, "ledgers-to-archive").source_selection_criteria;
        }),
      ).toEqual([
        'replication-acme-payments-prod: rule "payments-to-backup": replica key "${aws_kms_key.replica_acme-ledgers-archive.arn}", config says "arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d"',
        'replication-acme-payments-prod: rule "ledgers-to-archive": SSE-KMS objects "Disabled", config says "Enabled"',
        'replication-acme-payments-prod: rule "ledgers-to-archive": replica key arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d, not the ARN of the key the stack creates with alias alias/acme-ledgers-replicas',
      ]);
    });

    test("a destination bucket ARN in another bucket or partition", () => {
      expect(
        findingsAfter((s) => {
          rule(s, "payments-to-backup").destination.bucket = "arn:aws-cn:s3:::acme-payments-backup";
          rule(s, "ledgers-to-archive").destination.bucket = "arn:aws:s3:::acme-payments-backup";
        }),
      ).toEqual([
        'replication-acme-payments-prod: rule "payments-to-backup": destination bucket "arn:aws-cn:s3:::acme-payments-backup", config says "arn:aws:s3:::acme-payments-backup"',
        'replication-acme-payments-prod: rule "ledgers-to-archive": destination bucket "arn:aws:s3:::acme-payments-backup", config says "arn:aws:s3:::acme-ledgers-archive"',
      ]);
    });

    test("the role of another account", () => {
      expect(
        findingsAfter((s) => {
          s.resource.aws_s3_bucket_replication_configuration.replication.role =
            "arn:aws:iam::444455556666:role/s3-replication-acme-payments-prod";
        }),
      ).toEqual([
        "replication-acme-payments-prod: replicates with role arn:aws:iam::444455556666:role/s3-replication-acme-payments-prod, not arn:aws:iam::111122223333:role/s3-replication-acme-payments-prod",
      ]);
    });

    test("versioning and a bucket policy lost, one written twice", () => {
      expect(
        findingsAfter((s) => {
          delete s.resource.aws_s3_bucket_versioning["destination_acme-ledgers-archive"];
          s.resource.aws_s3_bucket_policy.again = s.resource.aws_s3_bucket_policy["destination_acme-payments-backup"];
          delete s.resource.aws_s3_bucket_policy["destination_acme-ledgers-archive"];
        }),
      ).toEqual([
        "aws_s3_bucket_policy on acme-payments-backup: in replication-acme-payments-prod, replication-acme-payments-prod, not once in replication-acme-payments-prod",
        "aws_s3_bucket_versioning on acme-ledgers-archive: in no stack, not once in replication-acme-payments-prod",
        "aws_s3_bucket_policy on acme-ledgers-archive: in no stack, not once in replication-acme-payments-prod",
      ]);
    });

    test("a created key lost", () => {
      expect(findingsAfter((s) => delete s.resource.aws_kms_key)).toEqual([
        'replication-acme-payments-prod: rule "ledgers-to-archive": replica key ${aws_kms_key.replica_acme-ledgers-archive.arn}, not the ARN of the key the stack creates with alias alias/acme-ledgers-replicas',
        "0 KMS keys created (), not 1",
        "replication-acme-payments-prod: no key with alias alias/acme-ledgers-replicas",
      ]);
    });

    test("a created key not rotated", () => {
      expect(
        findingsAfter((s) => (s.resource.aws_kms_key["replica_acme-ledgers-archive"].enable_key_rotation = false)),
      ).toEqual(["replication-acme-payments-prod: key alias/acme-ledgers-replicas is not rotated"]);
    });

    test("a created key's alias created twice", () => {
      expect(
        findingsAfter((s) => {
          s.resource.aws_kms_alias.twice = s.resource.aws_kms_alias["replica_acme-ledgers-archive"];
        }),
      ).toEqual([
        "KMS alias alias/acme-ledgers-replicas in account 444455556666 in us-west-2 is created 2 times (replication-acme-payments-prod/replica_acme-ledgers-archive, replication-acme-payments-prod/twice)",
      ]);
    });

    test("a stack the config does not have, and a state key of another stack", () => {
      expect(
        findingsAfter((s, stacks) => {
          stacks.set("replication-other", { terraform: structuredClone(s.terraform) });
          s.terraform.backend.s3.key = "s3-replication/replication-other/terraform.tfstate";
        }),
      ).toEqual([
        'replication-acme-payments-prod: S3 state {"bucket":"my-terraform-state-111122223333","encrypt":true,"key":"s3-replication/replication-other/terraform.tfstate","profile":"source-account-profile","region":"us-east-1","use_lockfile":true}, config says {"bucket":"my-terraform-state-111122223333","encrypt":true,"key":"s3-replication/replication-acme-payments-prod/terraform.tfstate","profile":"source-account-profile","region":"us-east-1","use_lockfile":true}',
        "stack replication-other is not in the config",
      ]);
    });

    test("a stack lost", () => {
      expect(findingsAfter((_, stacks) => stacks.delete(STACK))).toEqual([
        "stack replication-acme-payments-prod is missing",
        "replication-acme-payments-prod: 0 replication configurations on acme-payments-prod (), not 1 in replication-acme-payments-prod",
        "aws_s3_bucket_versioning on acme-payments-prod: in no stack, not once in replication-acme-payments-prod",
        "aws_s3_bucket_versioning on acme-payments-backup: in no stack, not once in replication-acme-payments-prod",
        "aws_s3_bucket_policy on acme-payments-backup: in no stack, not once in replication-acme-payments-prod",
        "aws_s3_bucket_versioning on acme-ledgers-archive: in no stack, not once in replication-acme-payments-prod",
        "aws_s3_bucket_policy on acme-ledgers-archive: in no stack, not once in replication-acme-payments-prod",
        "0 KMS keys created (), not 1",
        "replication-acme-payments-prod: no key with alias alias/acme-ledgers-replicas",
      ]);
    });
  });

  describe("in grouped layouts", () => {
    const layout = (name: string, stackLayout: string, edit?: (c: Json) => void) => {
      const config: Json = { ...exampleConfig(name), stackLayout };
      edit?.(config);
      return config;
    };
    const copy = (stacks: Map<string, Json>) =>
      new Map([...stacks].map(([name, json]) => [name, structuredClone(json)]));

    test.each([
      ["two-way", "single"],
      ["two-way", "per-account"],
      ["central-log-archive", "single"],
      ["central-log-archive", "per-account"],
      ["org-log-archive", "single"],
      ["kms", "per-account"],
      ["rtc-monitoring", "single"],
      ["new-buckets", "single"],
    ])("agrees with the product on %s in %s", (name, stackLayout) => {
      const result = runCase(Buffer.from(JSON.stringify(layout(name, stackLayout))));
      expect(result.outcome).toBe("accepted");
      expect(result.findings).toEqual([]);
    });

    test("agrees on a replication in a stack of the config's own", () => {
      const config = layout("two-way", "per-bucket", (c) => {
        c.replications[1].stack = "west-team";
      });
      const result = runCase(Buffer.from(JSON.stringify(config)));
      expect([result.outcome, result.findings]).toEqual(["accepted", []]);
    });

    test("a configuration that does not wait for the versioning and policy its stack writes", () => {
      const config = layout("two-way", "single");
      const base = synthesize(config);
      const stacks = copy(base.stacks);
      const all = stacks.get("replication-all") as Json;
      const east = all.resource.aws_s3_bucket_replication_configuration["replication_acme-shared-east"];
      east.depends_on = east.depends_on.filter(
        (d: string) =>
          d !== "aws_s3_bucket_versioning.destination_acme-shared-west" &&
          d !== "aws_s3_bucket_policy.destination_acme-shared-west",
      );
      expect(referenceFindings(config, stacks, base.outdir).findings).toEqual([
        "replication-all: the replication configuration does not wait for aws_s3_bucket_versioning.destination_acme-shared-west (acme-shared-west)",
        "replication-all: the replication configuration does not wait for aws_s3_bucket_policy.destination_acme-shared-west (acme-shared-west)",
      ]);
    });

    test("stacks named by another layout, and a provider missing from a stack", () => {
      const config = layout("central-log-archive", "per-account");
      const base = synthesize(config);
      const stacks = copy(base.stacks);
      stacks.set("replication-acme-search-logs", stacks.get("replication-account-search") as Json);
      stacks.delete("replication-account-search");
      const analytics = stacks.get("replication-account-analytics") as Json;
      analytics.provider.aws = analytics.provider.aws.filter((p: Json) => p.alias !== "log_archive_us_east_1");
      expect(referenceFindings(config, stacks, base.outdir).findings).toEqual([
        "stack replication-account-search is missing",
        'replication-account-analytics: no provider {"account":"999988887777","profile":"log-archive","region":"us-east-1","tags":{"managed-by":"(set)","replication-stack":"replication-account-analytics"}}',
        "stack replication-acme-search-logs is not in the config",
        "replication-account-search: 1 replication configurations on acme-search-logs (replication-acme-search-logs), not 1 in replication-account-search",
        "aws_s3_bucket_versioning on acme-search-logs: in replication-acme-search-logs, not once in replication-account-search",
      ]);
    });

    test("a shared destination's side in a source's stack instead of the single stack", () => {
      const config = layout("central-log-archive", "single");
      const base = synthesize(config);
      const perAccount = synthesize(layout("central-log-archive", "per-account"));
      const stacks = copy(base.stacks);
      const all = stacks.get("replication-all") as Json;
      delete all.resource.aws_s3_bucket_versioning["destination_acme-central-log-archive"];
      expect(referenceFindings(config, stacks, base.outdir).findings).toEqual([
        "aws_s3_bucket_versioning on acme-central-log-archive: in no stack, not once in replication-all",
      ]);
      expect(perAccount.stacks.has("replication-all")).toBe(false);
    });
  });

  test("a shared destination: a source stack writing its policy, and a key named by its id", () => {
    const config = exampleConfig("central-log-archive");
    const base = synthesize(config);
    const stacks = new Map([...base.stacks].map(([name, json]) => [name, structuredClone(json)]));
    const source = stacks.get("replication-acme-payments-logs") as Json;
    const shared = stacks.get("replication-destination-acme-central-log-archive") as Json;
    source.resource.aws_s3_bucket_policy = shared.resource.aws_s3_bucket_policy;
    source.resource.aws_s3_bucket_replication_configuration.replication.rule[0].destination.encryption_configuration.replica_kms_key_id =
      "${aws_kms_key.replica_acme-central-log-archive.arn}";
    expect(referenceFindings(config, stacks, base.outdir).findings).toEqual([
      'replication-acme-payments-logs: rule "logs-to-archive": replica key "${aws_kms_key.replica_acme-central-log-archive.arn}", config says "arn:aws:kms:us-east-1:999988887777:alias/central-log-archive-replicas"',
      "aws_s3_bucket_policy on acme-central-log-archive: in replication-acme-payments-logs, replication-destination-acme-central-log-archive, not once in replication-destination-acme-central-log-archive",
    ]);
  });

  test("created buckets", () => {
    const buckets = exampleConfig("new-buckets");
    const created = synthesize(buckets);
    const stack = created.stacks.get("replication-acme-new-app-data") as Json;
    stack.resource.aws_s3_bucket_public_access_block.source.restrict_public_buckets = false;
    stack.resource.aws_s3_bucket["destination_acme-new-app-data-replica"].lifecycle.prevent_destroy = false;
    stack.resource.aws_s3_bucket_policy.source.policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
    expect(referenceFindings(buckets, created.stacks, created.outdir).findings).toEqual([
      "replication-acme-new-app-data: created bucket acme-new-app-data does not block all public access",
      "replication-acme-new-app-data: created bucket acme-new-app-data has no TLS-only statement in its bucket policy",
      "replication-acme-new-app-data: created bucket acme-new-app-data-replica can be destroyed",
    ]);
  });

  test("alarms", () => {
    const alarms = exampleConfig("rtc-monitoring");
    const monitored = synthesize(alarms);
    const orders = monitored.stacks.get("replication-acme-orders-prod") as Json;
    delete orders.resource.aws_cloudwatch_metric_alarm["latency_orders-rtc"];
    orders.resource.aws_cloudwatch_metric_alarm["failed_orders-rtc"].dimensions.RuleId = "other";
    expect(referenceFindings(alarms, monitored.stacks, monitored.outdir).findings).toEqual([
      'replication-acme-orders-prod: no alarm ["orders-rtc","acme-orders-dr","OperationsFailedReplication","Sum",0]',
      'replication-acme-orders-prod: no alarm ["orders-rtc","acme-orders-dr","ReplicationLatency","Maximum",900]',
      'replication-acme-orders-prod: alarm ["other","acme-orders-dr","OperationsFailedReplication","Sum",0] is not in the config',
    ]);
  });
});
