/**
 * Preflight proves the negative: for every rule, requests S3 never needs are refused by each
 * document alone. Each mutation below widens one document the way a hand edit would, and
 * preflight must name the request and the document that now allows it.
 */
import type { StackJson } from "../../lib/preflight/terraform-json";
import type { Json } from "../helpers/loose-json";
import { editPolicy, failures, mutate, preflightStacks, synthesizedStacks } from "../helpers/preflight";

const HELP = "help/troubleshooting.md#preflight-finds-a-grant-no-rule-needs";
const guide = synthesizedStacks("replication.config.json");
const kms = synthesizedStacks("examples/kms.json");
const pipeline = synthesizedStacks("examples/pipeline-assume-role.json");
const central = synthesizedStacks("examples/central-log-archive.json");
const org = synthesizedStacks("examples/org-log-archive.json");
const ARCHIVE_STACK = "replication-destination-acme-central-log-archive";
const ARCHIVE_POLICY = "destination_acme-central-log-archive";

async function failed(stacks: StackJson[]) {
  return failures(await preflightStacks(stacks)).map((f) => [f.stack, f.check, f.resource, f.detail, f.help]);
}

async function denials(stacks: StackJson[], stack: string) {
  const report = await preflightStacks(stacks);
  return report.results
    .filter((r) => r.stack === stack && r.check.startsWith("deny "))
    .map((r) => [r.rule, r.check, r.resource, r.passed, r.detail]);
}

describe("preflight proves what each document refuses", () => {
  test("examples/kms.json: delete markers, keys outside ledgers/, another account's bucket", async () => {
    const role = "replication-acme-payments-prod";
    const backup = "arn:aws:s3:::acme-payments-backup/preflight/preflight-sample.txt";
    const ledgers = "arn:aws:s3:::acme-ledgers-archive/ledgers/preflight-sample.txt";
    const stranger =
      "a bucket of that name owned by account 000000000000 (s3:ResourceAccount): denied by the role policy";
    expect(await denials(kms, role)).toEqual([
      ["payments-to-backup", "deny s3:ReplicateObject", backup, true, stranger],
      ["payments-to-backup", "deny s3:ReplicateDelete", backup, true, stranger],
      ["payments-to-backup", "deny s3:ReplicateTags", backup, true, stranger],
      ["payments-to-backup", "deny s3:ObjectOwnerOverrideToBucketOwner", backup, true, stranger],
      [
        "ledgers-to-archive",
        "deny s3:ReplicateDelete",
        ledgers,
        true,
        "no rule replicates delete markers here: denied by the role policy and the bucket policy",
      ],
      [
        "ledgers-to-archive",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-ledgers-archive/preflight-outside/preflight-sample.txt",
        true,
        "outside every rule's prefix: denied by the role policy and the bucket policy",
      ],
      [
        "ledgers-to-archive",
        "deny kms:Encrypt",
        "arn:aws:kms:us-west-2:444455556666:key/preflight-replica_acme-ledgers-archive",
        true,
        "outside every rule's prefix: denied by the role policy and the key policy",
      ],
      ["ledgers-to-archive", "deny s3:ReplicateObject", ledgers, true, stranger],
      ["ledgers-to-archive", "deny s3:ReplicateTags", ledgers, true, stranger],
      ["ledgers-to-archive", "deny s3:ObjectOwnerOverrideToBucketOwner", ledgers, true, stranger],
    ]);
  });

  test("examples/org-log-archive.json: another member account's prefix, by the bucket and the key policy", async () => {
    const rows = await denials(org, "replication-acme-search-logs");
    expect(rows.filter(([, , , , detail]) => String(detail).includes("prefix ("))).toEqual([
      [
        "logs-to-archive",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/111122223333/preflight-sample.txt",
        true,
        "another source's prefix (replication-acme-payments-logs): denied by the role policy and the bucket policy",
      ],
      [
        "logs-to-archive",
        "deny kms:Encrypt",
        "arn:aws:kms:us-east-1:999988887777:key/preflight-replica_acme-central-log-archive",
        true,
        // The key policy allows every listed source's prefix: S3 asks KMS only after the bucket policy allowed the write.
        "another source's prefix (replication-acme-payments-logs): denied by the role policy",
      ],
    ]);
    expect(rows.filter(([, , , , detail]) => String(detail).startsWith("account 000000000000's prefix"))).toEqual([
      [
        "logs-to-archive",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/000000000000/preflight-sample.txt",
        true,
        "account 000000000000's prefix: denied by the role policy and the bucket policy",
      ],
      [
        "logs-to-archive",
        "deny kms:Encrypt",
        "arn:aws:kms:us-east-1:999988887777:key/preflight-replica_acme-central-log-archive",
        true,
        "account 000000000000's prefix: denied by the role policy and the key policy",
      ],
    ]);
  });
});

describe("preflight fails a document that allows what no rule needs", () => {
  test("s3:ReplicateDelete in a role policy whose rule replicates no delete markers", async () => {
    const stacks = mutate(kms, (json) =>
      editPolicy(json.resource.aws_iam_role_policy.replication, (p) => {
        p.Statement.push({
          Effect: "Allow",
          Action: "s3:ReplicateDelete",
          Resource: "arn:aws:s3:::acme-ledgers-archive/*",
        });
      }),
    );
    expect(await failed(stacks)).toEqual([
      [
        "replication-acme-payments-prod",
        "deny s3:ReplicateDelete",
        "arn:aws:s3:::acme-ledgers-archive/ledgers/preflight-sample.txt",
        "no rule replicates delete markers here, yet the role policy allows it",
        HELP,
      ],
    ]);
  });

  test("a one-to-one bucket policy widened to the whole bucket", async () => {
    const stacks = mutate(kms, (json) =>
      editPolicy(json.resource.aws_s3_bucket_policy["destination_acme-ledgers-archive"], (p) => {
        p.Statement[0].Resource = "arn:aws:s3:::acme-ledgers-archive/*";
      }),
    );
    expect(await failed(stacks)).toEqual([
      [
        "replication-acme-payments-prod",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-ledgers-archive/preflight-outside/preflight-sample.txt",
        "outside every rule's prefix, yet the bucket policy allows it",
        HELP,
      ],
    ]);
  });

  test("a role policy whose writes lost s3:ResourceAccount", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(json.resource.aws_iam_role_policy.replication, (p) => {
        delete p.Statement[2].Condition;
      }),
    );
    const stranger =
      "a bucket of that name owned by account 000000000000 (s3:ResourceAccount), yet the role policy allows it";
    const object = "arn:aws:s3:::my-app-data-backup/preflight/preflight-sample.txt";
    expect((await failed(stacks)).map(([, check, resource, detail]) => [check, resource, detail])).toEqual([
      ["deny s3:ReplicateObject", object, stranger],
      ["deny s3:ReplicateDelete", object, stranger],
      ["deny s3:ReplicateTags", object, stranger],
      ["deny s3:ObjectOwnerOverrideToBucketOwner", object, stranger],
    ]);
  });

  test("a role policy reading source objects outside the rules' prefixes", async () => {
    const stacks = mutate(pipeline, (json) =>
      editPolicy(json.resource.aws_iam_role_policy.replication, (p) => {
        p.Statement[1].Resource = "arn:aws:s3:::acme-app-logs-prod/*";
      }),
    );
    expect(await failed(stacks)).toEqual([
      [
        "replication-acme-app-logs-prod",
        "deny s3:GetObjectVersionForReplication",
        "arn:aws:s3:::acme-app-logs-prod/preflight-outside/preflight-sample.txt",
        "outside every rule's prefix, yet the role policy allows it",
        HELP,
      ],
    ]);
  });

  test("an organization grant on the whole AWSLogs/ prefix instead of each account's own part", async () => {
    const stacks = mutate(
      org,
      (json) =>
        editPolicy(json.resource.aws_s3_bucket_policy[ARCHIVE_POLICY], (p) => {
          p.Statement[0].Resource = "arn:aws:s3:::acme-central-log-archive/AWSLogs/*";
        }),
      ARCHIVE_STACK,
    );
    expect((await failed(stacks)).map(([stack, check, resource, detail]) => [stack, check, resource, detail])).toEqual([
      [
        "replication-acme-payments-logs",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/222233334444/preflight-sample.txt",
        "another source's prefix (replication-acme-search-logs), yet the bucket policy allows it",
      ],
      [
        "replication-acme-payments-logs",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/000000000000/preflight-sample.txt",
        "account 000000000000's prefix, yet the bucket policy allows it",
      ],
      [
        "replication-acme-search-logs",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/111122223333/preflight-sample.txt",
        "another source's prefix (replication-acme-payments-logs), yet the bucket policy allows it",
      ],
      [
        "replication-acme-search-logs",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/000000000000/preflight-sample.txt",
        "account 000000000000's prefix, yet the bucket policy allows it",
      ],
    ]);
  });

  test("a role policy naming a shared destination's key/* without its alias", async () => {
    const stacks = mutate(
      central,
      (json) =>
        editPolicy(json.resource.aws_iam_role_policy.replication_kms, (p) => {
          delete p.Statement[1].Condition["ForAnyValue:StringEquals"];
        }),
      "replication-acme-search-logs",
    );
    expect(await failed(stacks)).toEqual([
      [
        "replication-acme-search-logs",
        "deny kms:Encrypt",
        "arn:aws:kms:us-east-1:999988887777:key/preflight-other-key",
        "another key of the account, without the replica key's alias, yet the role policy allows it",
        HELP,
      ],
    ]);
  });

  test("a role KMS policy encrypting for the whole destination bucket", async () => {
    const stacks = mutate(kms, (json) =>
      editPolicy(json.resource.aws_iam_role_policy.replication_kms, (p) => {
        p.Statement[2].Condition.StringLike["kms:EncryptionContext:aws:s3:arn"] = "arn:aws:s3:::acme-ledgers-archive/*";
      }),
    );
    expect(await failed(stacks)).toEqual([
      [
        "replication-acme-payments-prod",
        "deny kms:Encrypt",
        "arn:aws:kms:us-west-2:444455556666:key/preflight-replica_acme-ledgers-archive",
        "outside every rule's prefix, yet the role policy allows it",
        HELP,
      ],
    ]);
  });

  test("a created replica key's policy without the encryption context", async () => {
    const stacks = mutate(kms, (json) =>
      editPolicy(json.resource.aws_kms_key["replica_acme-ledgers-archive"], (p) => {
        delete p.Statement[1].Condition.StringLike;
      }),
    );
    expect(await failed(stacks)).toEqual([
      [
        "replication-acme-payments-prod",
        "deny kms:Encrypt",
        "arn:aws:kms:us-west-2:444455556666:key/preflight-replica_acme-ledgers-archive",
        "outside every rule's prefix, yet the key policy allows it",
        HELP,
      ],
    ]);
  });

  test("an organization key policy without each account's own part", async () => {
    const stacks = mutate(
      org,
      (json: Json) =>
        editPolicy(json.resource.aws_kms_key["replica_acme-central-log-archive"], (p) => {
          p.Statement[1].Condition.StringLike["kms:EncryptionContext:aws:s3:arn"] =
            "arn:aws:s3:::acme-central-log-archive/AWSLogs/*";
        }),
      ARCHIVE_STACK,
    );
    expect((await failed(stacks)).map(([stack, check, , detail]) => [stack, check, detail])).toEqual([
      [
        "replication-acme-payments-logs",
        "deny kms:Encrypt",
        "account 000000000000's prefix, yet the key policy allows it",
      ],
      [
        "replication-acme-search-logs",
        "deny kms:Encrypt",
        "account 000000000000's prefix, yet the key policy allows it",
      ],
    ]);
  });
});
