import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformJson } from "../../helpers/config";
import { addresses, exampleConfig, modelOf, type PolicyJson, policyAt, resourceAt } from "../../helpers/config";
import { synthRun, writeConfig } from "../../helpers/synth-run";

const ARCHIVE = "acme-central-log-archive";
const DESTINATION_STACK = "replication-destination-acme-central-log-archive";
const SOURCE_STACKS = [
  "replication-acme-payments-logs",
  "replication-acme-search-logs",
  "replication-acme-analytics-logs",
];
const ROLES = [
  "arn:aws:iam::111122223333:role/s3-replication-acme-payments-logs",
  "arn:aws:iam::222233334444:role/s3-replication-acme-search-logs",
  "arn:aws:iam::333344445555:role/s3-replication-acme-analytics-logs",
];

interface Synthesized {
  readonly stacks: Record<string, TerraformJson>;
  readonly manifest: { stacks: Record<string, { dependencies: string[] }> };
  readonly stdout: string[];
}

function synthesize(config: object | string): Synthesized {
  const run = synthRun(typeof config === "string" ? join(process.cwd(), config) : writeConfig(config));
  if (run.code !== 0) throw new Error(run.stderr.join("\n"));
  const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
  const stacks = Object.fromEntries(
    Object.keys(manifest.stacks).map((name) => [
      name,
      JSON.parse(readFileSync(join(run.outdir, "stacks", name, "cdk.tf.json"), "utf8")),
    ]),
  );
  return { stacks, manifest, stdout: run.stdout };
}

/** Every resource of a stack that writes to `bucket` (its `bucket` argument names it). */
function resourcesOnBucket(json: TerraformJson, bucket: string): string[] {
  return addresses(json).filter((a) => resourceAt(json, a).bucket === bucket);
}

describe("central log archive: many sources into one bucket (examples/central-log-archive.json)", () => {
  const central = synthesize("examples/central-log-archive.json");
  const destination = central.stacks[DESTINATION_STACK];
  const policy = policyAt(destination, `aws_s3_bucket_policy.destination_${ARCHIVE}`);

  describe("ownership", () => {
    test("gives the shared bucket's side to one destination stack in the log-archive account", () => {
      expect(addresses(destination).sort()).toEqual([
        `aws_kms_alias.replica_${ARCHIVE}`,
        `aws_kms_key.replica_${ARCHIVE}`,
        `aws_s3_bucket.destination_${ARCHIVE}`,
        `aws_s3_bucket_ownership_controls.destination_${ARCHIVE}`,
        `aws_s3_bucket_policy.destination_${ARCHIVE}`,
        `aws_s3_bucket_public_access_block.destination_${ARCHIVE}`,
        `aws_s3_bucket_server_side_encryption_configuration.destination_${ARCHIVE}`,
        `aws_s3_bucket_versioning.destination_${ARCHIVE}`,
      ]);
      expect(destination.provider.aws).toEqual([
        expect.objectContaining({ alias: "destination", allowed_account_ids: ["999988887777"], region: "us-east-1" }),
      ]);
    });

    test("creates the archive with Object Lock and BucketOwnerEnforced, kept on destroy", () => {
      const bucket = resourceAt(destination, `aws_s3_bucket.destination_${ARCHIVE}`);
      expect(bucket.object_lock_enabled).toBe(true);
      expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
      expect(resourceAt(destination, `aws_s3_bucket_ownership_controls.destination_${ARCHIVE}`).rule).toEqual({
        object_ownership: "BucketOwnerEnforced",
      });
    });

    test("leaves source stacks nothing that writes to the shared bucket, so destroying one never suspends its versioning", () => {
      for (const name of SOURCE_STACKS) {
        const source = central.stacks[name];
        expect(resourcesOnBucket(source, ARCHIVE)).toEqual([]);
        expect(source.resource).not.toHaveProperty("aws_s3_bucket_policy");
        expect(source.resource).not.toHaveProperty("aws_kms_key");
      }
    });

    test("uses no provider in the log-archive account from a source stack: each team applies with its own credentials", () => {
      for (const name of SOURCE_STACKS) {
        const source = central.stacks[name];
        const providers = addresses(source).map((a) => resourceAt(source, a).provider);
        expect(new Set(providers)).toEqual(new Set(["aws.source"]));
      }
    });

    test("forgets, never destroys, what a source stack held while the bucket was one-to-one", () => {
      const removed = (central.stacks[SOURCE_STACKS[0]] as unknown as { removed: unknown[] }).removed;
      expect(removed).toEqual(
        [
          `aws_s3_bucket_versioning.destination_${ARCHIVE}`,
          `aws_s3_bucket_policy.destination_${ARCHIVE}`,
          `aws_s3_bucket.destination_${ARCHIVE}`,
          `aws_s3_bucket_public_access_block.destination_${ARCHIVE}`,
          `aws_s3_bucket_ownership_controls.destination_${ARCHIVE}`,
          `aws_s3_bucket_server_side_encryption_configuration.destination_${ARCHIVE}`,
          `aws_kms_key.replica_${ARCHIVE}`,
          `aws_kms_alias.replica_${ARCHIVE}`,
        ].map((from) => ({ from, lifecycle: { destroy: false } })),
      );
      // Terraform needs the provider that created a forgotten resource: it stays declared.
      expect(central.stacks[SOURCE_STACKS[0]].provider.aws.map((p) => p.alias)).toEqual(["source", "destination"]);
    });

    test("writes no removed blocks for one-to-one destinations", () => {
      const config = exampleConfig("central-log-archive");
      config.replications = [config.replications[0]];
      const { stacks } = synthesize(config);
      expect(stacks["replication-acme-payments-logs"]).not.toHaveProperty("removed");
    });
  });

  describe("order", () => {
    test("applies the destination stack first: every source stack depends on it, and it on nothing", () => {
      expect(central.manifest.stacks[DESTINATION_STACK].dependencies).toEqual([]);
      for (const name of SOURCE_STACKS) {
        expect(central.manifest.stacks[name].dependencies).toEqual([DESTINATION_STACK]);
      }
    });

    test("says the order when synthesizing", () => {
      expect(central.stdout).toContain(
        `    ${ARCHIVE} (999988887777) <- acme-payments-logs, acme-search-logs, acme-analytics-logs: deploy it before ${SOURCE_STACKS.join(", ")}`,
      );
    });

    test("needs no source role to exist when the bucket policy is applied, and survives a role's recreation", () => {
      const resource = resourceAt(destination, `aws_s3_bucket_policy.destination_${ARCHIVE}`);
      expect(resource).not.toHaveProperty("lifecycle");
      expect(resource.depends_on).toEqual([
        `aws_s3_bucket.destination_${ARCHIVE}`,
        expect.any(String),
        expect.any(String),
        expect.any(String),
      ]);
      const principals = policy.Statement.flatMap((s) => Object.values(s.Principal ?? {}).flat());
      expect(principals.filter((p) => p.includes(":role/"))).toEqual([]);
    });
  });

  describe("bucket policy", () => {
    test("grants each source account its own prefix, narrowed to its role by aws:PrincipalArn", () => {
      const grants = policy.Statement.filter((s) => s.Sid?.startsWith("AllowReplicationFromSourceRole"));
      expect(grants).toEqual(
        ["111122223333", "222233334444", "333344445555"].map((account, n) => ({
          Sid: `AllowReplicationFromSourceRole${n + 1}`,
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Condition: { ArnEquals: { "aws:PrincipalArn": ROLES[n] } },
          // No rule into the archive replicates delete markers: no s3:ReplicateDelete.
          Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
          Resource: `arn:aws:s3:::${ARCHIVE}/logs/${account}/*`,
        })),
      );
    });

    test("lets every source role read the versioning status, and nothing else on the bucket", () => {
      expect(policy.Statement.find((s) => s.Sid === "AllowReplicationVersioningCheck")).toEqual({
        Sid: "AllowReplicationVersioningCheck",
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::222233334444:root", "arn:aws:iam::333344445555:root"],
        },
        Condition: { ArnEquals: { "aws:PrincipalArn": ROLES } },
        Action: ["s3:GetBucketVersioning"],
        Resource: `arn:aws:s3:::${ARCHIVE}`,
      });
    });

    test("denies requests without TLS on the created archive", () => {
      expect(policy.Statement.map((s) => s.Sid)).toContain("DenyInsecureTransport");
    });
  });

  describe("shared replica key", () => {
    test("lets every source role encrypt replicas, through S3 in the key's Region, for the sources' prefixes", () => {
      const keyPolicy = policyAt(destination, `aws_kms_key.replica_${ARCHIVE}`);
      expect(keyPolicy.Statement[1]).toEqual({
        Sid: "AllowS3ReplicationRolesToEncryptReplicas",
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::222233334444:root", "arn:aws:iam::333344445555:root"],
        },
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: {
          ArnEquals: { "aws:PrincipalArn": ROLES },
          StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
          StringLike: {
            "kms:EncryptionContext:aws:s3:arn": [
              `arn:aws:s3:::${ARCHIVE}/logs/111122223333/*`,
              `arn:aws:s3:::${ARCHIVE}/logs/222233334444/*`,
              `arn:aws:s3:::${ARCHIVE}/logs/333344445555/*`,
            ],
          },
        },
      });
      expect(resourceAt(destination, `aws_kms_key.replica_${ARCHIVE}`)).not.toHaveProperty("depends_on");
    });

    test("names the key by alias ARN in each source's rule, and scopes the role to the key with that alias, through S3", () => {
      const source = central.stacks[SOURCE_STACKS[0]];
      const [rule] = resourceAt(source, "aws_s3_bucket_replication_configuration.replication").rule as Array<
        Record<string, any>
      >;
      expect(rule.destination.encryption_configuration).toEqual({
        replica_kms_key_id: "arn:aws:kms:us-east-1:999988887777:alias/central-log-archive-replicas",
      });
      const encrypt = (policyAt(source, "aws_iam_role_policy.replication_kms") as PolicyJson).Statement[1];
      expect(encrypt.Resource).toBe("arn:aws:kms:us-east-1:999988887777:key/*");
      expect(encrypt.Condition).toEqual({
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${ARCHIVE}/logs/111122223333/*` },
        // key/* names every key of the account: only the one with the archive's alias may be used.
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/central-log-archive-replicas" },
      });
    });
  });

  test("lets a source without a prefix write anywhere in the bucket", () => {
    const config = exampleConfig("central-log-archive");
    delete config.replications[1].rules[0].filter;
    const { stacks } = synthesize(config);
    const grant = policyAt(stacks[DESTINATION_STACK], `aws_s3_bucket_policy.destination_${ARCHIVE}`).Statement[1];
    expect(grant.Resource).toBe(`arn:aws:s3:::${ARCHIVE}/*`);
  });

  test("grants owner override only to the sources whose rules use it", () => {
    const config = exampleConfig("central-log-archive");
    for (const r of config.replications) {
      r.rules[0].destination = { ...r.rules[0].destination, create: false, objectLock: false };
    }
    config.replications[0].rules[0].replicaOwner = "source";
    const { stacks } = synthesize(config);
    const grants = policyAt(stacks[DESTINATION_STACK], `aws_s3_bucket_policy.destination_${ARCHIVE}`).Statement.slice(
      0,
      3,
    );
    expect(grants.map((g) => g.Action)).toEqual([
      ["s3:ReplicateObject", "s3:ReplicateTags"],
      ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
    ]);
  });

  test("keeps one-to-one destinations in their source's stack, at today's addresses", () => {
    const config = exampleConfig("central-log-archive");
    config.replications = [config.replications[0]];
    const model = modelOf(config);
    expect(model.sharedDestinations).toEqual([]);
    expect(model.replications[0].dependsOnStacks).toEqual([]);
  });
});

describe("organization-wide log archive (examples/org-log-archive.json)", () => {
  const org = synthesize("examples/org-log-archive.json");
  const destination = org.stacks[DESTINATION_STACK];

  test("grants Principal * only within the organization, to roles named like the project's, each account under its own prefix", () => {
    const policy = policyAt(destination, `aws_s3_bucket_policy.destination_${ARCHIVE}`);
    expect(policy.Statement[0]).toEqual({
      Sid: "AllowReplicationFromOrganization",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
        StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/s3-replication-*" },
      },
      Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
      // `$${` is Terraform's escape for a literal `${`: IAM receives the policy variable (organization.test.ts).
      Resource: `arn:aws:s3:::${ARCHIVE}/AWSLogs/$\${aws:PrincipalAccount}/*`,
    });
    expect(policy.Statement.filter((s) => s.Sid?.startsWith("AllowReplicationFromSourceRole"))).toEqual([]);
  });

  test("grants the organization's replication roles the replica key, through S3 only", () => {
    const keyPolicy = policyAt(destination, `aws_kms_key.replica_${ARCHIVE}`);
    expect(keyPolicy.Statement[1].Principal).toEqual({ AWS: "*" });
    expect(keyPolicy.Statement[1].Condition).toEqual({
      StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "kms:ViaService": "s3.us-east-1.amazonaws.com" },
      StringLike: {
        "aws:PrincipalArn": "arn:aws:iam::*:role/s3-replication-*",
        "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${ARCHIVE}/AWSLogs/$\${aws:PrincipalAccount}/*`,
      },
    });
  });

  test("still gives each source a stack of its own, after the destination stack", () => {
    expect(Object.keys(org.stacks).sort()).toEqual([
      "replication-acme-payments-logs",
      "replication-acme-search-logs",
      DESTINATION_STACK,
    ]);
    expect(org.manifest.stacks["replication-acme-search-logs"].dependencies).toEqual([DESTINATION_STACK]);
  });

  test("leaves the destination stack unchanged when another member account's source is added", () => {
    const config = exampleConfig("org-log-archive");
    const fewer = { ...config, replications: config.replications.slice(0, 1) };
    expect(synthesize(fewer).stacks[DESTINATION_STACK]).toEqual(destination);
  });

  test("makes a bucket listed under sharedDestinations shared even with one source", () => {
    const config = exampleConfig("org-log-archive");
    config.replications = [config.replications[0]];
    expect(modelOf(config).sharedDestinations.map((d) => d.stackName)).toEqual([DESTINATION_STACK]);
  });
});
