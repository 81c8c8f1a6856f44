import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { DescribeJobCommand } from "@aws-sdk/client-s3-control";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { Account } from "../../lib/config/model";
import { type AccountClients, awsClients } from "../../lib/ops/aws-clients";
import { classifyAwsFailure } from "../../lib/ops/aws-failure";
import {
  configuredEndpoint,
  configuredEndpoints,
  EndpointError,
  isLoopback,
  type ServiceName,
  takesHostPrefix,
} from "../../lib/ops/endpoints";
import { type RecordingServer, recordingServer } from "../helpers/recording-server";

const SERVICES: ServiceName[] = ["s3", "s3control", "sts", "iam", "kms"];
const ACCOUNT_ID = "210987654321";

const account = (credentials: Account["credentials"]): Account =>
  ({ name: "source", accountId: ACCOUNT_ID, credentials }) as Account;

/** One call per client; every one is answered 403 by the recording server. */
function callEach(clients: AccountClients): Promise<unknown> {
  return Promise.allSettled([
    clients.s3.send(new GetBucketVersioningCommand({ Bucket: "source-bucket" })),
    clients.s3control.send(new DescribeJobCommand({ AccountId: ACCOUNT_ID, JobId: "job-1" })),
    clients.sts.send(new GetCallerIdentityCommand({})),
    clients.iam.send(new GetRoleCommand({ RoleName: "replication" })),
    clients.kms.send(new DescribeKeyCommand({ KeyId: "alias/replica" })),
  ]);
}

let global: RecordingServer;
const own = {} as Record<ServiceName, RecordingServer>;
let dir: string;

beforeAll(async () => {
  global = await recordingServer();
  for (const service of SERVICES) own[service] = await recordingServer();
  dir = mkdtempSync(join(tmpdir(), "endpoints-"));
  writeFileSync(
    join(dir, "credentials"),
    "[ops]\naws_access_key_id = test\naws_secret_access_key = test\n[plain]\naws_access_key_id = test\naws_secret_access_key = test\n",
  );
});

afterAll(async () => {
  await global.close();
  for (const service of SERVICES) await own[service].close();
});

beforeEach(() => {
  global.requests.length = 0;
  for (const service of SERVICES) own[service].requests.length = 0;
});

/** An environment with only the given AWS config file text, and static credentials for "ops". */
function envWith(configText: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const configFile = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(configFile, configText);
  return { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), ...extra };
}

const hostOf = (server: RecordingServer) => new URL(server.url).host;

function expectEveryClientReached(server: RecordingServer): void {
  expect(server.requests.map((r) => r.host)).toEqual(Array(5).fill(hostOf(server)));
  // S3 path-style: the bucket is in the path, not the host.
  expect(server.requests.some((r) => r.path.startsWith("/source-bucket/?versioning"))).toBe(true);
  // S3 Control without the account-id host prefix, the account id in its header.
  const job = server.requests.find((r) => r.path.includes("/v20180820/jobs/job-1"));
  expect(job).toMatchObject({ host: hostOf(server), accountHeader: ACCOUNT_ID });
  expect(
    server.requests
      .map((r) => r.action)
      .filter(Boolean)
      .sort(),
  ).toEqual(["DescribeKey", "GetCallerIdentity", "GetRole"]);
}

function expectEachClientReachedItsOwn(): void {
  for (const service of SERVICES) {
    expect({ service, hosts: own[service].requests.map((r) => r.host) }).toEqual({
      service,
      hosts: [hostOf(own[service])],
    });
  }
  expect(global.requests).toEqual([]);
}

describe("endpoints: every client goes where the standard settings say", () => {
  test("--endpoint-url sends every client's calls to that endpoint", async () => {
    const env = envWith("[profile ops]\nendpoint_url = http://127.0.0.1:1\n", {
      AWS_ENDPOINT_URL: "http://127.0.0.1:2",
    });
    const clients = await awsClients({ endpointUrl: global.url, env });
    await callEach(clients(account({ profile: "ops" }), "eu-central-1"));
    expectEveryClientReached(global);
  });

  test("AWS_ENDPOINT_URL sends every client's calls to that endpoint", async () => {
    const clients = await awsClients({ env: envWith("", { AWS_ENDPOINT_URL: global.url }) });
    await callEach(clients(account({ profile: "ops" }), "eu-central-1"));
    expectEveryClientReached(global);
  });

  test("AWS_ENDPOINT_URL_<SERVICE> sends each service to its own endpoint, over AWS_ENDPOINT_URL", async () => {
    const env = envWith("", {
      AWS_ENDPOINT_URL: global.url,
      AWS_ENDPOINT_URL_S3: own.s3.url,
      AWS_ENDPOINT_URL_S3_CONTROL: own.s3control.url,
      AWS_ENDPOINT_URL_STS: own.sts.url,
      AWS_ENDPOINT_URL_IAM: own.iam.url,
      AWS_ENDPOINT_URL_KMS: own.kms.url,
    });
    await callEach((await awsClients({ env }))(account({ profile: "ops" }), "eu-central-1"));
    expectEachClientReachedItsOwn();
  });

  test("the endpoint_url of the account's own profile applies, not only $AWS_PROFILE's", async () => {
    const env = envWith(`[profile ops]\nendpoint_url = ${global.url}\n[profile plain]\nregion = eu-west-1\n`, {
      AWS_PROFILE: "plain",
    });
    await callEach((await awsClients({ env }))(account({ profile: "ops" }), "eu-central-1"));
    expectEveryClientReached(global);
  });

  test("a profile's services section sends each service to its own endpoint", async () => {
    const env = envWith(
      [
        "[profile ops]",
        `endpoint_url = ${global.url}`,
        "services = emulator",
        "[services emulator]",
        ...SERVICES.map((s) => `${s === "s3control" ? "s3_control" : s} =\n  endpoint_url = ${own[s].url}`),
      ].join("\n"),
    );
    await callEach((await awsClients({ env }))(account({ profile: "ops" }), "eu-central-1"));
    expectEachClientReachedItsOwn();
  });

  test("an assumed role is assumed through the configured STS endpoint", async () => {
    const env = envWith("", { AWS_ENDPOINT_URL: global.url });
    const clients = (await awsClients({ env }))(
      account({ profile: "ops", roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/ops` }),
      "eu-central-1",
    );
    await expect(clients.s3.send(new GetBucketVersioningCommand({ Bucket: "source-bucket" }))).rejects.toThrow();
    expect(global.requests.map((r) => [r.host, r.action])).toEqual([[hostOf(global), "AssumeRole"]]);
  });

  test("an account without a profile reads the settings of $AWS_PROFILE, as the SDK does", async () => {
    const env = envWith(`[profile plain]\nendpoint_url = ${global.url}\n`, { AWS_PROFILE: "plain" });
    const clients = (await awsClients({ env }))(
      account({ roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/ops` }),
      "eu-central-1",
    );
    expect(clients.s3control.config.isCustomEndpoint).toBe(true);
    expect((await clients.kms.config.endpoint?.())?.port).toBe(Number(new URL(global.url).port));
  });

  test("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns the settings off, but not --endpoint-url", async () => {
    const env = envWith(`[profile ops]\nendpoint_url = ${global.url}\n`, {
      AWS_ENDPOINT_URL: global.url,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
    });
    const settings = { env, config: { ops: { endpoint_url: global.url } }, profile: "ops" };
    expect(configuredEndpoint("s3", settings)).toBeUndefined();
    expect(configuredEndpoint("s3", { ...settings, explicit: own.s3.url })).toEqual({
      url: own.s3.url,
      from: "--endpoint-url",
    });
    const { s3 } = (await awsClients({ env }))(account({ profile: "ops" }), "eu-central-1");
    expect(s3.config.isCustomEndpoint).toBe(false);
  });

  test("an endpoint that is not a URL is an error naming the setting", () => {
    const settings = { env: { AWS_ENDPOINT_URL_S3_CONTROL: "127.0.0.1:5000" }, config: {}, profile: "default" };
    expect(() => configuredEndpoint("s3control", settings)).toThrow(EndpointError);
    expect(() => configuredEndpoint("s3control", settings)).toThrow(
      'AWS_ENDPOINT_URL_S3_CONTROL is not a URL: "127.0.0.1:5000" (use one like http://127.0.0.1:5000)',
    );
    expect(() => configuredEndpoint("kms", { ...settings, config: { default: { endpoint_url: "ftp://x" } } })).toThrow(
      'endpoint_url of profile default must start with http:// or https://, not "ftp://x"',
    );
    expect(() => configuredEndpoint("s3", { ...settings, explicit: "http://" })).toThrow(
      '--endpoint-url is not a URL: "http://" (use one like http://127.0.0.1:5000)',
    );
  });

  test("a profile naming a missing services section is an error saying what to add", () => {
    const settings = { env: {}, config: { ops: { services: "emulator" } }, profile: "ops" };
    expect(() => configuredEndpoint("kms", settings)).toThrow(
      'profile ops names services section "emulator", which the AWS config file does not have: add [services emulator]',
    );
  });

  test("an endpoint that never answers times out instead of hanging", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const clients = await awsClients({
        endpointUrl: url,
        env: envWith(""),
        timeouts: { connectMs: 200, requestMs: 200 },
      });
      const error = await clients(account({ profile: "ops" }), "eu-central-1")
        .sts.send(new GetCallerIdentityCommand({}))
        .catch((e: unknown) => e);
      expect(classifyAwsFailure(error)).toMatchObject({
        kind: "connection",
        message: expect.stringMatching(/timed out/),
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  }, 20_000);

  test("IP addresses and single-label hosts take no host prefix; DNS names do", () => {
    expect(takesHostPrefix("http://127.0.0.1:5000")).toBe(false);
    expect(takesHostPrefix("http://[::1]:5000")).toBe(false);
    expect(takesHostPrefix("http://localhost:4566")).toBe(false);
    expect(takesHostPrefix("https://moto:5000")).toBe(false);
    expect(takesHostPrefix("https://s3-control.eu-central-1.amazonaws.com")).toBe(true);
  });
});

describe("endpoints that are not AWS's own", () => {
  const settings = { env: {}, config: {}, profile: "ops" };

  test("plain http:// is accepted only on a loopback address", () => {
    for (const url of [
      "http://127.0.0.1:5000",
      "http://127.8.9.10:4566",
      "http://[::1]:5000",
      "http://localhost:4566",
    ]) {
      expect(configuredEndpoint("s3", { ...settings, explicit: url })).toEqual({ url, from: "--endpoint-url" });
    }
    expect(["127.0.0.1", "127.255.0.1", "[::1]", "::1", "LOCALHOST"].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      ["128.0.0.1", "10.0.0.1", "localhost.example.com", "127.0.0.1.nip.io", "[::2]", "0.0.0.0"].map(isLoopback),
    ).toEqual([false, false, false, false, false, false]);
  });

  test("plain http:// elsewhere is refused, naming the setting and the fix", () => {
    expect(() => configuredEndpoint("s3", { ...settings, env: { AWS_ENDPOINT_URL: "http://10.1.2.3:5000" } })).toThrow(
      new EndpointError(
        "AWS_ENDPOINT_URL is http://10.1.2.3:5000: plain http:// would send your signed requests and session token unencrypted to 10.1.2.3. Use https://, or an emulator on 127.0.0.1, ::1 or localhost (plain http:// is accepted only there)",
      ),
    );
    expect(() =>
      configuredEndpoint("kms", { ...settings, config: { ops: { endpoint_url: "http://moto:5000" } } }),
    ).toThrow("endpoint_url of profile ops is http://moto:5000: plain http:// would send");
    expect(() => configuredEndpoint("s3", { ...settings, explicit: "http://s3.us-east-1.amazonaws.com" })).toThrow(
      "--endpoint-url is http://s3.us-east-1.amazonaws.com: plain http:// would send",
    );
    expect(configuredEndpoint("s3", { ...settings, explicit: "https://moto:5000" })?.url).toBe("https://moto:5000");
  });

  test("the tools say once per endpoint, on their warning line, where requests go that is not AWS", async () => {
    const warnings: string[] = [];
    const env = envWith("", { AWS_ENDPOINT_URL: global.url, AWS_ENDPOINT_URL_KMS: own.kms.url });
    const clients = await awsClients({ env, warn: (line) => warnings.push(line) });
    clients(account({ profile: "ops" }), "eu-central-1");
    clients(account({ profile: "plain" }), "us-east-1");
    clients({ ...account({ profile: "ops" }), accountId: "444455556666" }, "eu-central-1");
    expect(warnings).toEqual([
      `warning: AWS_ENDPOINT_URL sends AWS requests, signed with your credentials, to ${global.url}, which is not an AWS endpoint: what it answers is taken for AWS's answer, a NoSuchBucket for a bucket that does not exist`,
      `warning: AWS_ENDPOINT_URL_KMS sends AWS requests, signed with your credentials, to ${own.kms.url}, which is not an AWS endpoint: what it answers is taken for AWS's answer, a NoSuchBucket for a bucket that does not exist`,
    ]);
  });

  test("an AWS endpoint (FIPS, VPC endpoint) is not announced", async () => {
    const warnings: string[] = [];
    const clients = await awsClients({
      endpointUrl: "https://bucket.vpce-0a1b2c3d-4e5f6a7b.s3.us-east-1.vpce.amazonaws.com",
      env: envWith(""),
      warn: (line) => warnings.push(line),
    });
    clients(account({ profile: "ops" }), "us-east-1");
    expect(warnings).toEqual([]);
  });

  test("every setting of the profiles is listed, for any service (Terraform calls SNS and CloudWatch too)", () => {
    const config = {
      ops: { endpoint_url: "https://proxy.example.com", services: "mine" },
      "services.mine": { "sns.endpoint_url": "https://sns.example.com", "sns.region": "eu-west-1" },
      plain: { ignore_configured_endpoint_urls: "true", endpoint_url: "https://ignored.example.com" },
      unused: { endpoint_url: "https://unused.example.com" },
    };
    const env = { AWS_ENDPOINT_URL_CLOUDWATCH: "https://cw.example.com", AWS_ENDPOINT_URL: "http://127.0.0.1:5000" };
    expect(configuredEndpoints(env, config, ["ops", "plain", "ops"])).toEqual([
      { url: "http://127.0.0.1:5000", from: "AWS_ENDPOINT_URL" },
      { url: "https://cw.example.com", from: "AWS_ENDPOINT_URL_CLOUDWATCH" },
      { url: "https://proxy.example.com", from: "endpoint_url of profile ops" },
      { url: "https://sns.example.com", from: "sns.endpoint_url in [services mine] of profile ops" },
    ]);
    expect(() => configuredEndpoints({ AWS_ENDPOINT_URL_SNS: "http://sns.internal" }, {}, [])).toThrow(
      "AWS_ENDPOINT_URL_SNS is http://sns.internal: plain http:// would send",
    );
  });
});
