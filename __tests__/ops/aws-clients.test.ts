import { clientsWith } from "../../lib/ops/aws-clients";

const account = (credentials: Record<string, string>) => ({
  name: "backup",
  accountId: "444455556666",
  credentials,
});

const awsClients = (options: { endpointUrl?: string } = {}) => clientsWith({ ...options, env: {} }, {});

describe("AWS clients", () => {
  test("use the account's Region and the SDK's adaptive retries", async () => {
    const { s3, sts, s3control } = awsClients()(account({ profile: "destination-account-profile" }), "us-west-2");
    expect(await s3.config.region()).toBe("us-west-2");
    expect(await sts.config.maxAttempts()).toBe(5);
    expect(((await s3control.config.retryStrategy()) as { mode?: string }).mode).toBe("adaptive");
  });

  test("send every client to an --endpoint-url, S3 path-style", async () => {
    const clients = awsClients({ endpointUrl: "http://127.0.0.1:9000" })(account({ profile: "p" }), "us-east-1");
    expect(clients.s3.config.forcePathStyle).toBe(true);
    for (const client of Object.values(clients)) {
      expect((await client.config.endpoint?.())?.hostname).toBe("127.0.0.1");
    }
  });

  test("keep the SDK's addressing on an AWS endpoint", () => {
    const { s3 } = awsClients({ endpointUrl: "https://s3.eu-central-1.amazonaws.com" })(
      account({ profile: "p" }),
      "eu-central-1",
    );
    expect(s3.config.forcePathStyle).toBe(false);
  });

  test("make one set of clients per account and Region", () => {
    const clients = awsClients();
    const a = clients(account({ roleArn: "arn:aws:iam::444455556666:role/deployer" }), "us-west-2");
    expect(clients(account({ roleArn: "arn:aws:iam::444455556666:role/deployer" }), "us-west-2")).toBe(a);
    expect(clients(account({ roleArn: "arn:aws:iam::444455556666:role/deployer" }), "eu-west-1")).not.toBe(a);
  });
});
