/**
 * AWS SDK v3 clients per account and Region, with the credentials the config names: an AWS CLI
 * profile, or a role assumed (with the profile, if any, as the base credentials). Every client,
 * the role-assuming STS client too, goes where the standard endpoint settings of that account's
 * profile say (endpoints.ts). Retries and throttling are the SDK's adaptive retry strategy.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { Account } from "../config/model";
import {
  type ConfiguredEndpoint,
  configuredEndpoint,
  endpointNotices,
  isAwsHost,
  loadSharedConfig,
  type ServiceName,
  type SharedConfig,
  takesHostPrefix,
} from "./endpoints";

export interface OpsOptions {
  /** `--endpoint-url`: one endpoint for every client (an emulator, a proxy). */
  readonly endpointUrl?: string;
  /** The environment the endpoint settings, profile and config file paths are read from. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long a connection may take to open, and a request to answer. */
  readonly timeouts?: { readonly connectMs: number; readonly requestMs: number };
  /** Where to say, once per endpoint, that calls go to an endpoint that is not AWS's (stderr). */
  readonly warn?: (line: string) => void;
}

/**
 * The SDK waits forever by default: an endpoint that accepts and never answers (a firewall that
 * drops, a stopped emulator's port forward) would hang every command.
 */
export const DEFAULT_TIMEOUTS = { connectMs: 10_000, requestMs: 60_000 } as const;

export interface AccountClients {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly kms: KMSClient;
  readonly cloudwatch: CloudWatchClient;
}

export type ClientsFor = (account: Account, region: string) => AccountClients;

const RETRIES = { maxAttempts: 5, retryMode: "adaptive" } as const;

/** The profile whose settings apply: the one named, else the SDK's default ($AWS_PROFILE, default). */
export function profileOf(account: Pick<Account, "credentials">, env: NodeJS.ProcessEnv): string {
  return account.credentials.profile ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? "default";
}

function filesOf(env: NodeJS.ProcessEnv) {
  return {
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
  };
}

function credentialsOf(
  account: Account,
  env: NodeJS.ProcessEnv,
  region: string,
  sts: ConfiguredEndpoint | undefined,
  requestHandler: object,
) {
  const { profile, roleArn, sessionName, externalId } = account.credentials;
  const base = profile ? fromIni({ profile, ...filesOf(env) }) : undefined;
  if (!roleArn) return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: { RoleArn: roleArn, RoleSessionName: sessionName ?? "s3-replication-ops", ExternalId: externalId },
    clientConfig: { region, requestHandler, ...(sts ? { endpoint: sts.url } : {}) },
  });
}

/**
 * S3 Control puts the account id in front of the endpoint's host (`<account-id>.<host>`); on an
 * endpoint that is an IP address or a single label that is no host at all (the SDK stops with
 * "Invalid URL"), so there the calls go to the endpoint itself: the account id still travels in
 * the x-amz-account-id header. The endpoint rules take the prefix from RequiresAccountId.
 */
function withoutAccountPrefix(client: S3ControlClient): void {
  const config = client.config as { endpointProvider: (params: object, context?: object) => unknown };
  const resolve = config.endpointProvider;
  config.endpointProvider = (params, context) => resolve({ ...params, RequiresAccountId: false }, context);
}

/** Clients for the shared config already read: one set per account and Region. */
export function clientsWith(options: OpsOptions, config: SharedConfig): ClientsFor {
  const env = options.env ?? process.env;
  const cache = new Map<string, AccountClients>();
  const notice = endpointNotices(options.warn ?? (() => {}));
  return (account, region) => {
    const key = `${account.accountId}|${region}`;
    let clients = cache.get(key);
    if (!clients) {
      const profile = profileOf(account, env);
      const endpoint = (service: ServiceName) => {
        const configured = configuredEndpoint(service, { explicit: options.endpointUrl, env, config, profile });
        if (configured) notice(configured);
        return configured;
      };
      const at = (e: ConfiguredEndpoint | undefined) => (e ? { endpoint: e.url } : {});
      const { connectMs, requestMs } = options.timeouts ?? DEFAULT_TIMEOUTS;
      // Since @smithy/node-http-handler 4.x an exceeded requestTimeout only warns unless asked to throw.
      const requestHandler = { connectionTimeout: connectMs, requestTimeout: requestMs, throwOnRequestTimeout: true };
      const common = {
        region,
        requestHandler,
        credentials: credentialsOf(account, env, region, endpoint("sts"), requestHandler),
        // The settings were read above, for this account's profile, not for $AWS_PROFILE.
        ignoreConfiguredEndpointUrls: true,
        ...RETRIES,
      };
      const s3 = endpoint("s3");
      const s3control = endpoint("s3control");
      clients = {
        s3: new S3Client({ ...common, ...at(s3), ...(s3 && !isAwsHost(s3.url) ? { forcePathStyle: true } : {}) }),
        s3control: new S3ControlClient({ ...common, ...at(s3control) }),
        sts: new STSClient({ ...common, ...at(endpoint("sts")) }),
        iam: new IAMClient({ ...common, ...at(endpoint("iam")) }),
        kms: new KMSClient({ ...common, ...at(endpoint("kms")) }),
        cloudwatch: new CloudWatchClient({ ...common, ...at(endpoint("cloudwatch")) }),
      };
      if (s3control && !takesHostPrefix(s3control.url)) withoutAccountPrefix(clients.s3control);
      cache.set(key, clients);
    }
    return clients;
  };
}

/** Reads the shared AWS config file once, then makes clients per account and Region. */
export async function awsClients(options: OpsOptions = {}): Promise<ClientsFor> {
  return clientsWith(options, await loadSharedConfig(options.env ?? process.env));
}
