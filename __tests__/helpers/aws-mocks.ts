import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { STSClient } from "@aws-sdk/client-sts";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import type { AccountClients, ClientsFor } from "../../lib/ops/aws-clients";

type Stub<C> = C extends { send(command: infer _): unknown } ? AwsStub<any, any, any> : never;

export interface AccountMocks {
  readonly s3: Stub<S3Client>;
  readonly s3control: Stub<S3ControlClient>;
  readonly sts: Stub<STSClient>;
  readonly iam: Stub<IAMClient>;
  readonly kms: Stub<KMSClient>;
  readonly cloudwatch: Stub<CloudWatchClient>;
  /** The Regions clients were asked for in this account. */
  readonly regions: Set<string>;
}

/**
 * One set of mocked clients per account id: nothing reaches AWS. Unmocked calls resolve to
 * undefined (aws-sdk-client-mock's default), so each test mocks exactly the calls it expects.
 */
export function mockedAccounts(): { clients: ClientsFor; account: (id: string) => AccountMocks } {
  const byAccount = new Map<string, { clients: AccountClients; mocks: AccountMocks }>();
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  const create = (id: string) => {
    let entry = byAccount.get(id);
    if (!entry) {
      const clients: AccountClients = {
        s3: new S3Client({ region: "us-east-1", credentials }),
        s3control: new S3ControlClient({ region: "us-east-1", credentials }),
        sts: new STSClient({ region: "us-east-1", credentials }),
        iam: new IAMClient({ region: "us-east-1", credentials }),
        kms: new KMSClient({ region: "us-east-1", credentials }),
        cloudwatch: new CloudWatchClient({ region: "us-east-1", credentials }),
      };
      entry = {
        clients,
        mocks: {
          s3: mockClient(clients.s3),
          s3control: mockClient(clients.s3control),
          sts: mockClient(clients.sts),
          iam: mockClient(clients.iam),
          kms: mockClient(clients.kms),
          cloudwatch: mockClient(clients.cloudwatch),
          regions: new Set(),
        },
      };
      byAccount.set(id, entry);
    }
    return entry;
  };
  return {
    clients: (account, region) => {
      const entry = create(account.accountId);
      entry.mocks.regions.add(region);
      return entry.clients;
    },
    account: (id) => create(id).mocks,
  };
}

/** An AWS service error, as the SDK throws it. */
export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The inputs of every call of one command on a mock. */
export function inputsOf(stub: AwsStub<any, any, any>, command: abstract new (...args: any[]) => unknown): unknown[] {
  return stub.commandCalls(command as any).map((call) => call.args[0].input);
}
