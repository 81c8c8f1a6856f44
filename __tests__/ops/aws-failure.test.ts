import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { runOps } from "../../lib/cli/ops-program";
import { classifyAwsFailure } from "../../lib/ops/aws-failure";
import { EndpointError } from "../../lib/ops/endpoints";
import { awsError, mockedAccounts } from "../helpers/aws-mocks";
import { guideConfig } from "../helpers/config";
import { writeConfig } from "../helpers/synth-run";

const section = (help: string | undefined) => help?.replace("help/troubleshooting.md#", "");

function networkError(code: string, address = "127.0.0.1", port = 4566): Error {
  return Object.assign(new Error(`connect ${code} ${address}:${port}`), { code, address, port });
}

describe("an AWS failure of the operator's own call, in words, with its runbook section", () => {
  test.each([
    [
      "connection refused",
      networkError("ECONNREFUSED"),
      "connection",
      "cannot reach 127.0.0.1:4566: connection refused. Is the endpoint (AWS_ENDPOINT_URL, a profile's endpoint_url, --endpoint-url) right and running?",
      "the-tools-cannot-reach-aws-or-the-endpoint",
    ],
    [
      "an unknown host",
      Object.assign(new Error("getaddrinfo ENOTFOUND x"), {
        code: "ENOTFOUND",
        hostname: "210987654321.s3-control.eu-central-1.amazonaws.com",
      }),
      "connection",
      "cannot reach 210987654321.s3-control.eu-central-1.amazonaws.com: no such host. Is the endpoint (AWS_ENDPOINT_URL, a profile's endpoint_url, --endpoint-url) right and running?",
      "the-tools-cannot-reach-aws-or-the-endpoint",
    ],
    [
      "missing credentials",
      awsError("CredentialsProviderError", "Could not load credentials from any providers"),
      "credentials",
      "CredentialsProviderError: Could not load credentials from any providers — your credentials are missing or expired: log in again (aws sso login, a fresh session) or fix the profile or role in the config",
      "your-credentials-are-missing-or-expired",
    ],
    [
      "expired credentials",
      awsError("ExpiredToken", "The security token included in the request is expired"),
      "credentials",
      "ExpiredToken: The security token included in the request is expired — your credentials are missing or expired: log in again (aws sso login, a fresh session) or fix the profile or role in the config",
      "your-credentials-are-missing-or-expired",
    ],
    [
      "the operator's own AccessDenied",
      awsError(
        "AccessDenied",
        "User: arn:aws:iam::111122223333:user/ops is not authorized to perform: s3:GetBucketVersioning",
      ),
      "operator-permission",
      "AccessDenied: User: arn:aws:iam::111122223333:user/ops is not authorized to perform: s3:GetBucketVersioning — your own credentials lack this permission (not a replication fault): see npm run operator-policy",
      "your-own-permission-is-missing",
    ],
    [
      "a missing bucket",
      awsError("NoSuchBucket", "The specified bucket does not exist"),
      "not-found",
      "NoSuchBucket: The specified bucket does not exist — the bucket does not exist (check the name, the account and that the stack is applied)",
      "a-bucket-role-key-or-job-does-not-exist",
    ],
    [
      "a bucket in another Region",
      awsError(
        "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint.",
      ),
      "wrong-region",
      'PermanentRedirect: The bucket you are attempting to access must be addressed using the specified endpoint. — the bucket is in another Region than the config says: fix its "region"',
      "a-bucket-role-key-or-job-does-not-exist",
    ],
    [
      "a bad endpoint setting",
      new EndpointError('AWS_ENDPOINT_URL is not a URL: "x" (use one like http://127.0.0.1:5000)'),
      "endpoint-setting",
      'AWS_ENDPOINT_URL is not a URL: "x" (use one like http://127.0.0.1:5000)',
      "the-tools-cannot-reach-aws-or-the-endpoint",
    ],
  ])("%s", (_name, error, kind, message, anchor) => {
    const failure = classifyAwsFailure(error);
    expect(failure).toEqual({ kind, message, help: `help/troubleshooting.md#${anchor}` });
  });

  test("an answer that is not AWS's (an emulator's HTML error page) says so", () => {
    const error = Object.assign(new Error("@aws-sdk XML parse error: mismatched tags <html> and </title>."), {
      $metadata: { httpStatusCode: 500 },
    });
    expect(classifyAwsFailure(error)).toEqual({
      kind: "not-aws-answer",
      message:
        "the endpoint answered HTTP 500 with something that is not an AWS answer (@aws-sdk XML parse error: mismatched tags <html> and </title>.): it may not implement this call (an emulator), or not be the service the setting meant",
      help: "help/troubleshooting.md#the-tools-cannot-reach-aws-or-the-endpoint",
    });
  });

  test("anything else keeps AWS's words and points nowhere wrong", () => {
    expect(classifyAwsFailure(awsError("InternalError", "We encountered an internal error"))).toEqual({
      kind: "other",
      message: "InternalError: We encountered an internal error",
    });
  });

  test("never points a connection failure at the allowed-account-ids section", () => {
    expect(section(classifyAwsFailure(networkError("ECONNREFUSED")).help)).not.toBe(
      "terraform-stops-with-aws-account-id-not-allowed",
    );
  });
});

describe("the command line shows a failure as one line and its section, never a stack trace", () => {
  async function backfill(error: Error) {
    const aws = mockedAccounts();
    aws.account("111122223333").s3control.rejects(error);
    const stderr: string[] = [];
    let code = -1;
    await runOps(["--config", writeConfig(guideConfig()), "backfill", "replication-my-app-data-prod"], {
      env: {},
      stdout: () => {},
      stderr: (t) => stderr.push(t),
      isTTY: false,
      exit: (c) => {
        code = c;
      },
      clients: () => aws.clients,
    });
    return { code, stderr: stderr.join("\n") };
  }

  test("connection refused: exit 1, the words and the section", async () => {
    expect(await backfill(networkError("ECONNREFUSED"))).toEqual({
      code: 1,
      stderr:
        "error: cannot reach 127.0.0.1:4566: connection refused. Is the endpoint (AWS_ENDPOINT_URL, a profile's endpoint_url, --endpoint-url) right and running?\nsee help/troubleshooting.md#the-tools-cannot-reach-aws-or-the-endpoint",
    });
  });

  test("a bad endpoint setting: exit 2 before any call", async () => {
    let code = -1;
    const stderr: string[] = [];
    await runOps(["--config", writeConfig(guideConfig()), "status", "job-1", "--once"], {
      env: { AWS_ENDPOINT_URL_S3_CONTROL: "localhost:4566" },
      stdout: () => {},
      stderr: (t) => stderr.push(t),
      isTTY: false,
      exit: (c) => {
        code = c;
      },
    });
    expect(code).toBe(2);
    expect(stderr.join("\n")).toBe(
      'error: AWS_ENDPOINT_URL_S3_CONTROL must start with http:// or https://, not "localhost:4566"\nsee help/troubleshooting.md#the-tools-cannot-reach-aws-or-the-endpoint',
    );
  });

  test("a doctor check whose read is refused says it is the operator's permission", async () => {
    const aws = mockedAccounts();
    aws.account("111122223333").s3.on(GetBucketVersioningCommand).rejects(awsError("AccessDenied", "Access Denied"));
    const { checkVersioning } = await import("../../lib/ops/doctor/checks/versioning");
    const { modelOf } = await import("../helpers/config");
    const [source] = await checkVersioning({
      replication: modelOf(guideConfig()).replications[0],
      clients: aws.clients,
    });
    expect(source).toMatchObject({
      passed: false,
      help: "help/troubleshooting.md#your-own-permission-is-missing",
    });
    expect(source.help).not.toBe("help/troubleshooting.md#versioning-must-be-enabled-error");
  });
});
