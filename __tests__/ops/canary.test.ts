import {
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { runCanary } from "../../lib/ops/doctor/canary";
import { awsError, inputsOf, mockedAccounts } from "../helpers/aws-mocks";
import { configWith, guideConfig, modelOf } from "../helpers/config";

const SOURCE = "111122223333";
const DEST = "444455556666";
const KEY = "s3-replication-canary/1000-CrossAccountReplicationRule.txt";

/** A clock that moves 10 s per sleep, so timeouts are tested without waiting. */
function fakeTime() {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

function setup(config = guideConfig()) {
  const replication = modelOf(config).replications[0];
  const aws = mockedAccounts();
  const source = aws.account(SOURCE).s3;
  const destination = aws.account(DEST).s3;
  for (const [s3, bucket] of [
    [source, "my-app-data-prod"],
    [destination, "my-app-data-backup"],
  ] as const) {
    s3.on(ListObjectVersionsCommand, { Bucket: bucket }).resolves({
      Versions: [{ Key: KEY, VersionId: `${bucket}-v1` }],
      DeleteMarkers: [{ Key: KEY, VersionId: `${bucket}-dm1` }],
    });
  }
  const time = fakeTime();
  return {
    ctx: { replication, clients: aws.clients },
    source,
    destination,
    options: { timeoutSeconds: 60, pollSeconds: 10, now: () => 1000 + (time.now() - 1_000_000), sleep: time.sleep },
  };
}

function expectCleanedUp(source: any, destination: any) {
  expect(inputsOf(source, DeleteObjectCommand)).toEqual([
    { Bucket: "my-app-data-prod", Key: KEY, VersionId: "my-app-data-prod-v1" },
    { Bucket: "my-app-data-prod", Key: KEY, VersionId: "my-app-data-prod-dm1" },
  ]);
  expect(inputsOf(destination, DeleteObjectCommand)).toEqual([
    { Bucket: "my-app-data-backup", Key: KEY, VersionId: "my-app-data-backup-v1" },
    { Bucket: "my-app-data-backup", Key: KEY, VersionId: "my-app-data-backup-dm1" },
  ]);
}

describe("canary", () => {
  test("writes an object, follows it to COMPLETED and REPLICA, checks the owner, then removes every version", async () => {
    const { ctx, source, destination, options } = setup();
    source
      .on(HeadObjectCommand)
      .resolvesOnce({ ReplicationStatus: "PENDING" })
      .resolves({ ReplicationStatus: "COMPLETED" });
    destination.on(HeadObjectCommand).resolves({ ReplicationStatus: "REPLICA" });
    destination.on(GetObjectAclCommand).resolves({ Owner: { ID: "dest-canonical" } });
    destination.on(GetBucketAclCommand).resolves({ Owner: { ID: "dest-canonical" } });
    const progress: string[] = [];
    const [result] = await runCanary(ctx, { ...options, onProgress: (t) => progress.push(t) });
    expect(result).toMatchObject({ passed: true, detail: "COMPLETED, REPLICA in the destination, after 10s" });
    expect(inputsOf(source, PutObjectCommand)).toEqual([
      {
        Bucket: "my-app-data-prod",
        Key: KEY,
        Body: "s3-replication canary for rule CrossAccountReplicationRule\n",
        ContentType: "text/plain",
      },
    ]);
    expect(inputsOf(source, HeadObjectCommand)).toEqual([
      { Bucket: "my-app-data-prod", Key: KEY },
      { Bucket: "my-app-data-prod", Key: KEY },
    ]);
    expect(inputsOf(destination, HeadObjectCommand)).toEqual([{ Bucket: "my-app-data-backup", Key: KEY }]);
    expect(progress).toEqual([
      "rule CrossAccountReplicationRule: PENDING after 0s",
      "rule CrossAccountReplicationRule: COMPLETED after 10s",
    ]);
    expectCleanedUp(source, destination);
  });

  test("writes the canary under the rule's prefix with its tags, and SSE-KMS when the rule asks", async () => {
    const config = configWith((c) => {
      c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/src"];
      c.replications[0].rules[0] = {
        ...c.replications[0].rules[0],
        deleteMarkerReplication: false,
        filter: { prefix: "logs/", tags: { replicate: "yes please" } },
        replicateSseKms: true,
        destination: { ...c.replications[0].rules[0].destination, replicaKms: { create: true } },
      };
    });
    const { ctx, source, options } = setup(config);
    source.on(PutObjectCommand).rejects(awsError("AccessDenied", "Access Denied"));
    const [result] = await runCanary(ctx, options);
    expect(inputsOf(source, PutObjectCommand)).toEqual([
      expect.objectContaining({
        Key: "logs/s3-replication-canary/1000-CrossAccountReplicationRule.txt",
        Tagging: "replicate=yes%20please",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: "arn:aws:kms:us-east-1:111122223333:key/src",
      }),
    ]);
    expect(result).toMatchObject({
      passed: false,
      detail:
        "AccessDenied: Access Denied — your own credentials lack this permission (not a replication fault): see npm run operator-policy",
      help: "help/troubleshooting.md#your-own-permission-is-missing",
    });
  });

  test("reports FAILED with its help section, and still cleans up", async () => {
    const { ctx, source, destination, options } = setup();
    source.on(HeadObjectCommand).resolves({ ReplicationStatus: "FAILED" });
    const [result] = await runCanary(ctx, options);
    expect(result).toMatchObject({
      passed: false,
      detail: "FAILED after 0s",
      help: "help/troubleshooting.md#replication-status-shows-failed",
    });
    expectCleanedUp(source, destination);
  });

  test("gives up after the timeout, and still cleans up", async () => {
    const { ctx, source, destination, options } = setup();
    source.on(HeadObjectCommand).resolves({ ReplicationStatus: "PENDING" });
    const [result] = await runCanary(ctx, options);
    expect(result).toMatchObject({ passed: false, detail: "still PENDING after 60s" });
    expect(inputsOf(source, HeadObjectCommand)).toHaveLength(7);
    expectCleanedUp(source, destination);
  });

  test("stops on Ctrl-C and still cleans up", async () => {
    const { ctx, source, destination, options } = setup();
    const interrupt = new AbortController();
    source.on(HeadObjectCommand).callsFake(() => {
      interrupt.abort();
      return { ReplicationStatus: "PENDING" };
    });
    const [result] = await runCanary(ctx, { ...options, signal: interrupt.signal });
    expect(result).toMatchObject({ passed: false, detail: "interrupted" });
    expectCleanedUp(source, destination);
  });

  test("fails when the replica is not owned by the destination account", async () => {
    const { ctx, source, destination, options } = setup();
    source.on(HeadObjectCommand).resolves({ ReplicationStatus: "COMPLETED" });
    destination.on(HeadObjectCommand).resolves({ ReplicationStatus: "REPLICA" });
    destination.on(GetObjectAclCommand).resolves({ Owner: { ID: "source-canonical" } });
    destination.on(GetBucketAclCommand).resolves({ Owner: { ID: "dest-canonical" } });
    const [result] = await runCanary(ctx, options);
    expect(result).toMatchObject({
      passed: false,
      detail: "the replica is not owned by the destination account",
      help: "help/troubleshooting.md#replicated-objects-inaccessible-in-the-destination-account",
    });
  });
});
