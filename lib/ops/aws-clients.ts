/**
 * AWS SDK v3 clients per account and Region, with the credentials the config names: an AWS CLI
 * profile, or a role assumed (with the profile, if any, as the base credentials). Retries and
 * throttling are the SDK's adaptive retry strategy.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { Account } from "../config/model";

export interface OpsOptions {
  /** An S3-compatible endpoint for S3 calls (path-style addressing). */
  readonly endpointUrl?: string;
}

export interface AccountClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
}

export type ClientsFor = (account: Account, region: string) => AccountClients;

const RETRIES = { maxAttempts: 5, retryMode: "adaptive" } as const;

function credentialsOf(account: Account) {
  const { profile, roleArn, sessionName, externalId } = account.credentials;
  const base = profile ? fromIni({ profile }) : undefined;
  if (!roleArn) return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: { RoleArn: roleArn, RoleSessionName: sessionName ?? "s3-replication-ops", ExternalId: externalId },
  });
}

/** A memoizing factory: one set of clients per account and Region. */
export function awsClients(options: OpsOptions = {}): ClientsFor {
  const cache = new Map<string, AccountClients>();
  return (account, region) => {
    const key = `${account.accountId}|${region}`;
    let clients = cache.get(key);
    if (!clients) {
      const common = { region, credentials: credentialsOf(account), ...RETRIES };
      clients = {
        s3: new S3Client({
          ...common,
          ...(options.endpointUrl ? { endpoint: options.endpointUrl, forcePathStyle: true } : {}),
        }),
        s3control: new S3ControlClient(common),
        sts: new STSClient(common),
        iam: new IAMClient(common),
        kms: new KMSClient(common),
      };
      cache.set(key, clients);
    }
    return clients;
  };
}
