/**
 * Each policy builder, called on the model of every config with reviewed expected files
 * (__tests__/e2e/expected/<config>/<stack>/, written from AWS's documented requirements and the
 * config), returns a document IAM reads as that file. The synthesized stacks are compared with the
 * same files in __tests__/e2e/expected-policies.test.ts; this calls the builders directly, without
 * a synth, so that `npm run test:mutation` can tell which document each line of lib/policies
 * shapes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Model } from "../../lib/config/model";
import type { ConfigInput } from "../../lib/config/schema";
import { batchRolePolicy, batchTrustPolicy } from "../../lib/policies/batch-policies";
import { destinationBucketPolicy, sharedDestinationBucketPolicy } from "../../lib/policies/destination-bucket-policy";
import {
  replicaKeyPolicy,
  replicaKeyResource,
  roleKmsPolicy,
  sharedReplicaKeyPolicy,
} from "../../lib/policies/kms-policies";
import { rolePolicy } from "../../lib/policies/role-policy";
import { tlsOnlyPolicy } from "../../lib/policies/tls-only";
import { trustPolicy } from "../../lib/policies/trust-policy";
import { DERIVED_CONFIGS } from "../e2e/derived-configs";
import { EXPECTED_DIR } from "../e2e/expected";
import { policyDifferences } from "../e2e/iam-equivalence";
import { modelOf } from "../helpers/config";

const ROOT = join(__dirname, "..", "..");

function configOf(name: string): ConfigInput {
  if (name in DERIVED_CONFIGS) return DERIVED_CONFIGS[name]() as ConfigInput;
  const file = name === "replication.config" ? "replication.config.json" : `examples/${name}.json`;
  return JSON.parse(readFileSync(join(ROOT, file), "utf8"));
}

/** Each reviewed document of a config that a builder writes: file name -> the builder's document. */
function builtDocuments(name: string): Map<string, unknown> {
  const model = modelOf(configOf(name));
  const built = new Map<string, unknown>();
  const add = (stack: string, file: string, document: unknown) => built.set(`${stack}/${file}`, document);
  // What the stack passes for a key it creates is a Terraform reference; the expected files write
  // it as the key behind its alias.
  const createdKey = (d: Model["replications"][number]["destinations"][number]) => () =>
    d.replicaKms?.kind === "created"
      ? `<key behind arn:${d.partition}:kms:${d.region}:${d.account.accountId}:${d.replicaKms.alias}>`
      : "<no key>";
  for (const r of model.replications) {
    // A stack that holds several sources (a grouped layout) names each source's inline policies.
    const shared = model.replications.filter((o) => o.stackName === r.stackName).length > 1;
    const own = (file: string) => (shared ? file.replace(/\.json$/, `.${r.source.bucket}.json`) : file);
    add(r.stackName, "replication-role.trust-policy.json", trustPolicy(r));
    add(r.stackName, own("replication-role.S3ReplicationPermissionsPolicy.json"), rolePolicy(r));
    add(r.stackName, "batch-role.trust-policy.json", batchTrustPolicy());
    add(r.stackName, own("batch-role.S3BatchReplicationPolicy.json"), batchRolePolicy(r));
    const kms = roleKmsPolicy(r, (d) => replicaKeyResource(d, createdKey(d)));
    if (kms) add(r.stackName, own("replication-role.S3ReplicationKmsPolicy.json"), kms);
    if (r.source.create) add(r.stackName, `bucket-policy.${r.source.bucket}.json`, tlsOnlyPolicy(r.source));
    for (const d of r.destinations) {
      add(r.stackName, `bucket-policy.${d.bucket}.json`, destinationBucketPolicy(r, d));
      add(r.stackName, `key-policy.${d.bucket}.json`, replicaKeyPolicy(r, d));
    }
  }
  for (const s of model.sharedDestinations) {
    add(s.stackName, `bucket-policy.${s.destination.bucket}.json`, sharedDestinationBucketPolicy(s));
    add(s.stackName, `key-policy.${s.destination.bucket}.json`, sharedReplicaKeyPolicy(s));
  }
  return built;
}

const REVIEWED = /^(replication-role\.|batch-role\.|bucket-policy\.|key-policy\.).*\.json$/;

describe("every policy builder returns the reviewed expected document", () => {
  const configs = readdirSync(EXPECTED_DIR).sort();

  test.each(configs)("%s", (name) => {
    const built = builtDocuments(name);
    const problems: string[] = [];
    let compared = 0;
    // The state bucket's TLS-only policy is the created buckets' own (compared here for each).
    for (const stack of readdirSync(join(EXPECTED_DIR, name)).filter((s) => s !== "replication-state-bootstrap")) {
      for (const file of readdirSync(join(EXPECTED_DIR, name, stack)).filter((f) => REVIEWED.test(f))) {
        const key = `${stack}/${file}`;
        const expected = JSON.parse(readFileSync(join(EXPECTED_DIR, name, stack, file), "utf8"));
        if (!built.has(key)) {
          problems.push(`${key}: no builder wrote it`);
          continue;
        }
        compared++;
        problems.push(
          ...policyDifferences(expected, JSON.parse(JSON.stringify(built.get(key)))).map((p) => `${key}: ${p}`),
        );
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(0);
  });
});

describe("the replication role's trust policy", () => {
  test("with restrictTrustToSourceBucket, only S3 acting for the source bucket in its account may assume it", () => {
    const config = configOf("replication.config");
    config.replications[0].role = { name: "S3CrossAccountReplicationRole", restrictTrustToSourceBucket: true };
    expect(trustPolicy(modelOf(config).replications[0])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "S3AssumeRoleForReplication",
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "111122223333" },
            ArnLike: { "aws:SourceArn": "arn:aws:s3:::my-app-data-prod" },
          },
        },
      ],
    });
  });
});
