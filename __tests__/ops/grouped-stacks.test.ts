/**
 * doctor, backfill and status on a grouped root: a stack's contents come from model.stacks. doctor
 * checks every replication the stack holds; backfill and status work on one source bucket (one S3
 * Batch Replication job) and name the replications to choose from.
 */
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { mockedAccounts } from "../helpers/aws-mocks";
import { perAccountConfig } from "../helpers/config";
import { opsRun } from "../helpers/ops-run";
import { writeConfig } from "../helpers/synth-run";

const perAccount = perAccountConfig;

const ops = (args: string[], aws = mockedAccounts()) => opsRun(writeConfig(perAccount()), args, aws);

/** Each account's credentials are its own, so doctor goes on past its first check. */
function signedIn() {
  const aws = mockedAccounts();
  aws.account("111122223333").sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333" });
  aws.account("444455556666").sts.on(GetCallerIdentityCommand).resolves({ Account: "444455556666" });
  return aws;
}

describe("a stack of several replications", () => {
  test("doctor checks every replication the stack holds, in one report", async () => {
    const result = await ops(["--json", "doctor", "replication-account-source"], signedIn());
    const report = JSON.parse(result.stdout);
    expect(report.stacks).toEqual(["replication-account-source"]);
    const versioned = report.results
      .filter((r: { check: string }) => r.check === "versioning")
      .map((r: { resource: string }) => r.resource);
    expect(versioned).toEqual([
      "arn:aws:s3:::my-app-data-prod",
      "arn:aws:s3:::my-app-data-backup",
      "arn:aws:s3:::my-app-logs-prod",
      "arn:aws:s3:::my-app-logs-backup",
    ]);
  });

  test("doctor checks one replication of the stack by its id", async () => {
    const result = await ops(["--json", "doctor", "replication-my-app-logs-prod"], signedIn());
    const versioned = JSON.parse(result.stdout)
      .results.filter((r: { check: string }) => r.check === "versioning")
      .map((r: { resource: string }) => r.resource);
    expect(versioned).toEqual(["arn:aws:s3:::my-app-logs-prod", "arn:aws:s3:::my-app-logs-backup"]);
  });

  test("backfill asks for one replication of the stack, by name", async () => {
    const result = await ops(["backfill", "replication-account-source", "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "replication-account-source holds 2 replications, and npm run backfill works on one source bucket at a time (one S3 Batch Replication job per bucket): name one of them (replication-my-app-data-prod, replication-my-app-logs-prod)",
    );
  });

  test("backfill of one replication of the stack asks S3 about its own bucket", async () => {
    const result = await ops(["backfill", "replication-my-app-logs-prod", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).request.Manifest).toBeUndefined();
    expect(JSON.parse(result.stdout).request.ManifestGenerator.S3JobManifestGenerator.SourceBucket).toBe(
      "arn:aws:s3:::my-app-logs-prod",
    );
  });

  test("status without --stack lists the stack and its replications", async () => {
    const result = await ops(["status", "job-1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "the config's stack holds 2 replications, and npm run status works on one source bucket at a time (one S3 Batch Replication job per bucket): name one of them (replication-my-app-data-prod, replication-my-app-logs-prod)",
    );
  });
});
