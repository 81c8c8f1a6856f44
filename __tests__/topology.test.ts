import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ruleLabel, stacksTable, topologyMermaid } from "../lib/topology/mermaid";
import { configWith, exampleConfig, guideConfig, modelOf } from "./helpers/config";
import { synthRun } from "./helpers/synth-run";

describe("topology diagram", () => {
  test("draws the guide's setup: two accounts, two buckets, the role and one arrow", () => {
    expect(topologyMermaid(modelOf(guideConfig()))).toBe(
      [
        "flowchart LR",
        '  subgraph account_111122223333["source · 111122223333"]',
        '    bucket_my_2d_app_2d_data_2d_prod[("my-app-data-prod<br/>us-east-1")]',
        '    role_replication_2d_my_2d_app_2d_data_2d_prod{{"role s3-replication-my-app-data-prod"}}',
        "  end",
        '  subgraph account_444455556666["backup · 444455556666"]',
        '    bucket_my_2d_app_2d_data_2d_backup[("my-app-data-backup<br/>us-west-2")]',
        "  end",
        '  role_replication_2d_my_2d_app_2d_data_2d_prod -. "assumed by S3" .-> bucket_my_2d_app_2d_data_2d_prod',
        '  bucket_my_2d_app_2d_data_2d_prod -- "CrossAccountReplicationRule (priority 1) · all objects · delete markers · owner override" --> bucket_my_2d_app_2d_data_2d_backup',
      ].join("\n"),
    );
  });

  test("puts filter, delete markers, ownership, KMS, RTC and storage class on each arrow", () => {
    const labels = (name: string) => modelOf(exampleConfig(name)).replications[0].rules.map(ruleLabel);
    expect(labels("kms")).toEqual([
      "payments-to-backup (priority 1) · all objects · delete markers · owner override · SSE-KMS",
      "ledgers-to-archive (priority 2) · prefix ledgers/ · no delete markers · owner override · SSE-KMS",
    ]);
    expect(labels("rtc-monitoring")).toEqual([
      "orders-rtc (priority 1) · all objects · delete markers · owner override · RTC 15 min",
    ]);
    expect(labels("backup-vault")).toEqual([
      "records-to-vault (priority 1) · all objects · no delete markers · destination owns (BucketOwnerEnforced) · as GLACIER_IR",
    ]);
    expect(labels("pipeline-assume-role")).toEqual([
      "application-logs (priority 10) · prefix app/ · delete markers · owner override",
      "audit-tagged (priority 20) · prefix audit/ + tag retain=true · no delete markers · owner override",
    ]);
  });

  test("draws one arrow per rule for fan-out, and both directions for two-way", () => {
    const arrows = (name: string) =>
      topologyMermaid(modelOf(exampleConfig(name)))
        .split("\n")
        .filter((l) => l.includes(" --> "));
    expect(arrows("fan-out")).toHaveLength(3);
    expect(arrows("two-way").map((l) => l.trim().split(" ")[0])).toEqual([
      "bucket_acme_2d_shared_2d_east",
      "bucket_acme_2d_shared_2d_west",
    ]);
  });

  test("draws fan-in: every source's arrow ends at the one shared bucket, marked with its owning stack", () => {
    const diagram = topologyMermaid(modelOf(exampleConfig("central-log-archive"))).split("\n");
    expect(diagram.filter((l) => l.includes(" --> ")).map((l) => l.trim().split(" ").at(-1))).toEqual([
      "bucket_acme_2d_central_2d_log_2d_archive",
      "bucket_acme_2d_central_2d_log_2d_archive",
      "bucket_acme_2d_central_2d_log_2d_archive",
    ]);
    expect(diagram.filter((l) => l.includes("bucket_acme_2d_central_2d_log_2d_archive[("))).toEqual([
      '    bucket_acme_2d_central_2d_log_2d_archive[("acme-central-log-archive<br/>us-east-1 · created · Object Lock<br/>shared: owned by replication-destination-acme-central-log-archive")]',
    ]);
  });

  test("marks created buckets, Object Lock and disabled rules, and keeps quotes out of labels", () => {
    const config = configWith((c) => {
      c.replications[0].source = { ...c.replications[0].source, create: true, objectLock: true };
      c.replications[0].rules[0] = {
        ...c.replications[0].rules[0],
        id: 'say "hi"',
        enabled: false,
        destination: { ...c.replications[0].rules[0].destination, objectLock: true },
      };
    });
    const diagram = topologyMermaid(modelOf(config));
    expect(diagram).toContain(
      'bucket_my_2d_app_2d_data_2d_prod[("my-app-data-prod<br/>us-east-1 · created · Object Lock")]',
    );
    expect(diagram).toContain(
      '"say #34;hi#34; (priority 1) · all objects · delete markers · owner override · DISABLED"',
    );
  });

  test("says which stack holds a role when a stack holds several replications", () => {
    const roles = (layout: "per-bucket" | "single") =>
      topologyMermaid(modelOf({ ...exampleConfig("two-way"), stackLayout: layout }))
        .split("\n")
        .filter((l) => l.includes("{{"))
        .map((l) => l.trim());
    expect(roles("single")).toEqual([
      'role_replication_2d_acme_2d_shared_2d_east{{"role s3-replication-acme-shared-east<br/>stack replication-all"}}',
      'role_replication_2d_acme_2d_shared_2d_west{{"role s3-replication-acme-shared-west<br/>stack replication-all"}}',
    ]);
    expect(roles("per-bucket")).toEqual([
      'role_replication_2d_acme_2d_shared_2d_east{{"role s3-replication-acme-shared-east"}}',
      'role_replication_2d_acme_2d_shared_2d_west{{"role s3-replication-acme-shared-west"}}',
    ]);
  });

  test("lists the layout's stacks in the order to apply them, with what each holds and follows", () => {
    expect(stacksTable(modelOf({ ...exampleConfig("central-log-archive"), stackLayout: "per-account" }))).toEqual([
      "**Stacks** (layout `per-account`), in the order to apply them:",
      "",
      "| stack | holds | after |",
      "| --- | --- | --- |",
      "| `replication-destination-acme-central-log-archive` | shared destination acme-central-log-archive | – |",
      "| `replication-account-payments` | acme-payments-logs → acme-central-log-archive | `replication-destination-acme-central-log-archive` |",
      "| `replication-account-search` | acme-search-logs → acme-central-log-archive | `replication-destination-acme-central-log-archive` |",
      "| `replication-account-analytics` | acme-analytics-logs → acme-central-log-archive | `replication-destination-acme-central-log-archive` |",
    ]);
    expect(stacksTable(modelOf({ ...exampleConfig("two-way"), stackLayout: "single" })).slice(4)).toEqual([
      "| `replication-all` | acme-shared-east → acme-shared-west; acme-shared-west → acme-shared-east | – |",
    ]);
    expect(stacksTable(modelOf(exampleConfig("two-way"))).slice(4)).toEqual([
      "| `replication-acme-shared-east` | acme-shared-east → acme-shared-west | – |",
      "| `replication-acme-shared-west` | acme-shared-west → acme-shared-east | `replication-acme-shared-east` |",
    ]);
  });

  test("draws only the stacks asked for, by what model.stacks says they hold", () => {
    const model = modelOf({ ...exampleConfig("central-log-archive"), stackLayout: "per-account" });
    const roles = topologyMermaid(model, ["replication-account-search"])
      .split("\n")
      .filter((l) => l.includes("{{"));
    expect(roles.map((l) => l.trim().split("{{")[0])).toEqual(["role_replication_2d_acme_2d_search_2d_logs"]);
  });

  test("is written by npm run synth beside the stacks", () => {
    const run = synthRun(join(process.cwd(), "examples/fan-out.json"));
    const markdown = readFileSync(join(run.outdir, "topology.md"), "utf8");
    expect(markdown).toContain("```mermaid\nflowchart LR\n");
    expect(markdown).toContain(topologyMermaid(modelOf(exampleConfig("fan-out"))));
    expect(markdown).toContain("**Stacks** (layout `per-bucket`), in the order to apply them:");
  });
});
