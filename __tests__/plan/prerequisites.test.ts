/**
 * Before `npm run apply` writes anything, each bucket a stack uses but another stack manages (and
 * that is not applied in the same run) is read live: S3 refuses a replication configuration unless
 * versioning is Enabled on every bucket it uses. examples/two-way.json: the west stack replicates
 * between the two buckets the east stack manages; examples/central-log-archive.json: each source
 * stack writes into the archive its destination stack manages.
 */
import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { unmetPrerequisites } from "../../lib/plan/prerequisites";
import { awsError, inputsOf, mockedAccounts } from "../helpers/aws-mocks";
import { exampleConfig, modelOf } from "../helpers/config";

const EAST = "replication-acme-shared-east";
const WEST = "replication-acme-shared-west";
const twoWay = modelOf(exampleConfig("two-way"));

function versioning(east: object, west: object) {
  const aws = mockedAccounts();
  aws.account("111122223333").s3.on(GetBucketVersioningCommand, { Bucket: "acme-shared-east" }).resolves(east);
  aws.account("444455556666").s3.on(GetBucketVersioningCommand, { Bucket: "acme-shared-west" }).resolves(west);
  return aws;
}

describe("the stacks an apply waits for", () => {
  test("reads each bucket another stack manages in its own account and Region, once", async () => {
    const aws = versioning({ Status: "Enabled" }, { Status: "Enabled" });
    expect(await unmetPrerequisites(twoWay, [WEST], aws.clients)).toEqual([]);
    expect(inputsOf(aws.account("111122223333").s3, GetBucketVersioningCommand)).toEqual([
      { Bucket: "acme-shared-east" },
    ]);
    expect(inputsOf(aws.account("444455556666").s3, GetBucketVersioningCommand)).toEqual([
      { Bucket: "acme-shared-west" },
    ]);
    expect([...aws.account("111122223333").regions]).toEqual(["us-east-1"]);
    expect([...aws.account("444455556666").regions]).toEqual(["us-west-2"]);
  });

  test("names the stack to apply first, the bucket and its versioning state", async () => {
    const aws = versioning({ Status: "Suspended" }, {});
    expect(await unmetPrerequisites(twoWay, [WEST], aws.clients)).toEqual([
      "replication-acme-shared-west: apply replication-acme-shared-east first: it manages acme-shared-west, which has never had versioning enabled; replication needs versioning Enabled on every bucket it uses",
      "replication-acme-shared-west: apply replication-acme-shared-east first: it manages acme-shared-east, which has versioning Suspended; replication needs versioning Enabled on every bucket it uses",
    ]);
  });

  test("a bucket that is not there yet", async () => {
    const aws = mockedAccounts();
    aws.account("111122223333").s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    aws.account("444455556666").s3.on(GetBucketVersioningCommand).rejects(awsError("NoSuchBucket"));
    expect(await unmetPrerequisites(twoWay, [WEST], aws.clients)).toEqual([
      "replication-acme-shared-west: apply replication-acme-shared-east first: it manages acme-shared-west, which does not exist yet; replication needs versioning Enabled on every bucket it uses",
    ]);
  });

  test("any other error stops the apply with AWS's own error", async () => {
    const aws = mockedAccounts();
    aws.account("111122223333").s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    aws
      .account("444455556666")
      .s3.on(GetBucketVersioningCommand)
      .rejects(awsError("AccessDenied", "no s3:GetBucketVersioning"));
    await expect(unmetPrerequisites(twoWay, [WEST], aws.clients)).rejects.toThrow("no s3:GetBucketVersioning");
  });

  test("reads nothing for buckets the stack manages itself, or a stack applied in the same run", async () => {
    const aws = versioning({}, {});
    expect(await unmetPrerequisites(twoWay, [EAST], aws.clients)).toEqual([]);
    expect(await unmetPrerequisites(twoWay, [WEST, EAST], aws.clients)).toEqual([]);
    expect(await unmetPrerequisites(twoWay, [EAST, WEST], aws.clients)).toEqual([]);
    expect(inputsOf(aws.account("111122223333").s3, GetBucketVersioningCommand)).toEqual([]);
    expect(inputsOf(aws.account("444455556666").s3, GetBucketVersioningCommand)).toEqual([]);
  });

  test("a shared destination's stack manages the destination bucket", async () => {
    const model = modelOf(exampleConfig("central-log-archive"));
    const aws = mockedAccounts();
    aws.account("999988887777").s3.on(GetBucketVersioningCommand).resolves({ Status: "Suspended" });
    expect(
      await unmetPrerequisites(model, ["replication-acme-payments-logs", "replication-acme-search-logs"], aws.clients),
    ).toEqual([
      "replication-acme-payments-logs: apply replication-destination-acme-central-log-archive first: it manages acme-central-log-archive, which has versioning Suspended; replication needs versioning Enabled on every bucket it uses",
      "replication-acme-search-logs: apply replication-destination-acme-central-log-archive first: it manages acme-central-log-archive, which has versioning Suspended; replication needs versioning Enabled on every bucket it uses",
    ]);
    expect(
      await unmetPrerequisites(
        model,
        ["replication-acme-payments-logs", "replication-destination-acme-central-log-archive"],
        aws.clients,
      ),
    ).toEqual([]);
  });
});
