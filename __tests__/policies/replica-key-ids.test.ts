/**
 * Which ARN stands for each kind of replica key, in the replication configuration and in the role
 * policy: an existing key's own ARN; a key this stack creates, the reference the stack passes; a
 * key a shared destination's stack creates, its alias (its key id is known only in that stack),
 * and in the role policy every key of that account and Region, narrowed by the alias condition.
 * Also: the role gets KMS statements only for destinations that receive SSE-KMS replicas.
 */
import { kmsDestinations, replicaKeyId, replicaKeyResource, roleKmsPolicy } from "../../lib/policies/kms-policies";
import { configWith, exampleConfig, modelOf } from "../helpers/config";

const CREATED = () => "<reference to the created key>";
const kms = modelOf(exampleConfig("kms")).replications[0];
const destination = (bucket: string) => {
  const found = kms.destinations.find((d) => d.bucket === bucket);
  if (!found) throw new Error(`no destination ${bucket}`);
  return found;
};
const archive = modelOf(exampleConfig("central-log-archive")).replications[0].destinations[0];

describe("the ARN of a replica key", () => {
  test("an existing key: its own ARN", () => {
    const d = destination("acme-payments-backup");
    expect(replicaKeyId(d, CREATED)).toBe(
      "arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d",
    );
    expect(replicaKeyResource(d, CREATED)).toBe(
      "arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d",
    );
  });

  test("a key this stack creates: the stack's reference to it", () => {
    const d = destination("acme-ledgers-archive");
    expect(replicaKeyId(d, CREATED)).toBe("<reference to the created key>");
    expect(replicaKeyResource(d, CREATED)).toBe("<reference to the created key>");
  });

  test("a key a shared destination's stack creates: its alias, and in the role policy the account's keys", () => {
    expect(replicaKeyId(archive, CREATED)).toBe(
      "arn:aws:kms:us-east-1:999988887777:alias/central-log-archive-replicas",
    );
    expect(replicaKeyResource(archive, CREATED)).toBe("arn:aws:kms:us-east-1:999988887777:key/*");
  });
});

describe("the role's KMS statements", () => {
  test("only for destinations that receive SSE-KMS replicas", () => {
    const replication = modelOf(
      configWith((c) => {
        c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/source"];
        c.replications[0].rules[0].replicateSseKms = true;
        c.replications[0].rules[0].destination.replicaKms = {
          keyArn: "arn:aws:kms:us-west-2:444455556666:key/replica",
        };
        c.replications[0].rules.push({
          id: "plain",
          priority: 2,
          deleteMarkerReplication: false,
          filter: { prefix: "plain/" },
          destination: { account: "backup", bucket: "my-app-data-plain" },
        });
      }),
    ).replications[0];
    expect(kmsDestinations(replication).map((d) => d.bucket)).toEqual(["my-app-data-backup"]);
    expect(roleKmsPolicy(replication, (d) => replicaKeyResource(d, CREATED))?.Statement.map((s) => s.Sid)).toEqual([
      "DecryptSourceObjects",
      "EncryptReplicas1",
    ]);
  });

  test("none without SSE-KMS rules", () => {
    expect(roleKmsPolicy(modelOf(configWith(() => {})).replications[0], CREATED)).toBeUndefined();
  });
});
