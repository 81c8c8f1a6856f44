/**
 * `create: true` on a bucket that already exists: in us-east-1 S3 answers 200 to re-creating a
 * bucket you own, so the apply would take it over and overwrite its policy, versioning and
 * replication without the existing-bucket check ever reading them. A plan that creates a bucket
 * is refused when HeadBucket (with that account's credentials) finds the bucket. The fake
 * Terraform shows examples/new-buckets.json's real first plan.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { STATE_BOOTSTRAP_STACK } from "../../lib/config/model";
import { PLAN_FILE } from "../../lib/plan/saved-plan";
import { createdBucketsOf } from "../../lib/plan/takeover-check";
import { awsError, inputsOf } from "../helpers/aws-mocks";
import { configWith, modelOf } from "../helpers/config";
import { planWorkspace } from "../helpers/plan-run";

const STACK = "replication-acme-new-app-data";

function workspace() {
  const ws = planWorkspace(join(process.cwd(), "examples/new-buckets.json"));
  ws.terraform.shows = ws.fixture("new-buckets-first-apply.json");
  for (const account of ["111122223333", "444455556666"]) {
    ws.aws.account(account).s3.on(HeadBucketCommand).rejects(awsError("NotFound"));
  }
  return ws;
}

describe("a bucket the config creates", () => {
  test("is asked for in its own account before the plan is kept, and a free name plans", async () => {
    const ws = workspace();
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(inputsOf(ws.aws.account("111122223333").s3, HeadBucketCommand)).toEqual([{ Bucket: "acme-new-app-data" }]);
    expect(inputsOf(ws.aws.account("444455556666").s3, HeadBucketCommand)).toEqual([
      { Bucket: "acme-new-app-data-replica" },
    ]);
  });

  test("that already exists in the account refuses the plan, naming the bucket and the fix, and keeps no plan", async () => {
    const ws = workspace();
    ws.aws.account("111122223333").s3.on(HeadBucketCommand, { Bucket: "acme-new-app-data" }).resolves({});
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${STACK}: the config creates bucket acme-new-app-data, which already exists (account 111122223333's credentials can read it). In us-east-1 S3 answers "created" to re-creating a bucket you own, and the apply would then overwrite its policy, versioning and replication unchecked: set "create": false on it (the existing-bucket check then reads what it has), or choose a bucket name that is free.`,
    );
    expect(result.stdout).toContain(`### ${STACK}: refused, not planned`);
    expect(existsSync(join(ws.stackDir(STACK), PLAN_FILE))).toBe(false);
  });

  test("that another account holds refuses the plan too", async () => {
    const ws = workspace();
    const forbidden = Object.assign(awsError("Forbidden"), { $metadata: { httpStatusCode: 403 } });
    ws.aws.account("444455556666").s3.on(HeadBucketCommand).rejects(forbidden);
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${STACK}: the config creates bucket acme-new-app-data-replica, which already exists in another account (or account 444455556666's credentials may not s3:ListBucket it).`,
    );
  });

  test("is asked for again at apply: one that appeared since the plan is refused before anything is written", async () => {
    const ws = workspace();
    expect((await ws.command([])).code).toBe(0);
    ws.terraform.calls.length = 0;
    ws.aws.account("111122223333").s3.on(HeadBucketCommand, { Bucket: "acme-new-app-data" }).resolves({});
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${STACK}: the config creates bucket acme-new-app-data, which already exists`);
    expect(ws.terraform.calls).toEqual([]);
  });

  test("that the stack already manages is not asked for: the plan does not create it", async () => {
    const ws = workspace();
    ws.terraform.shows = ws.fixture("first-apply.json");
    ws.aws.account("111122223333").s3.on(HeadBucketCommand).resolves({});
    expect((await ws.command([])).code).toBe(0);
    expect(inputsOf(ws.aws.account("111122223333").s3, HeadBucketCommand)).toEqual([]);
  });
});

describe("the buckets a stack creates", () => {
  test("the state bootstrap stack creates the state bucket, in the bootstrap account", () => {
    const model = modelOf(
      configWith((c) => {
        c.backend = { type: "s3", bucket: "my-terraform-state", region: "us-east-1", bootstrap: { account: "source" } };
      }),
    );
    expect(createdBucketsOf(model, STATE_BOOTSTRAP_STACK)).toEqual([
      {
        stackName: STATE_BOOTSTRAP_STACK,
        account: expect.objectContaining({ accountId: "111122223333" }),
        region: "us-east-1",
        bucket: "my-terraform-state",
      },
    ]);
  });

  test("a stack the config does not have creates nothing", () => {
    expect(createdBucketsOf(modelOf(configWith(() => {})), "replication-gone")).toEqual([]);
  });
});
