import { readFileSync } from "node:fs";
import { join } from "node:path";
import { addresses, exampleConfig, modelOf, resourceAt, synthStack } from "../../helpers/config";
import { synthRun } from "../../helpers/synth-run";

describe("two-way replication (examples/two-way.json)", () => {
  const config = exampleConfig("two-way");
  const east = synthStack(config, 0).json;
  const west = synthStack(config, 1).json;

  test("syncs replica modifications in both directions", () => {
    for (const stack of [east, west]) {
      const [rule] = resourceAt(stack, "aws_s3_bucket_replication_configuration.replication").rule as Array<
        Record<string, any>
      >;
      expect(rule.source_selection_criteria).toEqual({ replica_modifications: { status: "Enabled" } });
    }
  });

  test("manages each bucket's versioning in one stack only: the first that names it", () => {
    expect(addresses(east).filter((a) => a.startsWith("aws_s3_bucket_versioning"))).toEqual([
      "aws_s3_bucket_versioning.destination_acme-shared-west",
      "aws_s3_bucket_versioning.source",
    ]);
    expect(west.resource).not.toHaveProperty("aws_s3_bucket_versioning");
  });

  test("gives each bucket policy one owner: the stack that replicates into it", () => {
    expect(Object.keys(east.resource.aws_s3_bucket_policy)).toEqual(["destination_acme-shared-west"]);
    expect(Object.keys(west.resource.aws_s3_bucket_policy)).toEqual(["destination_acme-shared-east"]);
  });

  test("keeps the roles apart: one per direction, each in its source account", () => {
    expect(east.output.replication_role_arn.value).toBe(
      "arn:aws:iam::111122223333:role/s3-replication-acme-shared-east",
    );
    expect(west.output.replication_role_arn.value).toBe(
      "arn:aws:iam::444455556666:role/s3-replication-acme-shared-west",
    );
  });

  test("orders the second stack after the first, which enables versioning on both buckets", () => {
    expect(modelOf(config).replications[1].dependsOnStacks).toEqual(["replication-acme-shared-east"]);
    const run = synthRun(join(process.cwd(), "examples/two-way.json"));
    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
    expect(manifest.stacks["replication-acme-shared-west"].dependencies).toEqual(["replication-acme-shared-east"]);
    expect(run.stdout).toContain("    deploy after replication-acme-shared-east (it manages buckets this stack uses)");
  });
});
