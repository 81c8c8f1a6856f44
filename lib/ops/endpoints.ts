/**
 * Where each AWS client sends its calls, by the AWS SDKs' standard endpoint settings, read for the
 * profile of the account the client works in (the SDK itself reads them only for $AWS_PROFILE).
 * Precedence, as the SDK for JavaScript v3 applies it: an explicit `--endpoint-url`, then
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `services` section, the profile's
 * `endpoint_url`; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / `ignore_configured_endpoint_urls` turn off
 * all but the explicit one.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/ss-endpoints-table.html
 */
import { isIP } from "node:net";
import { loadSharedConfigFiles } from "@smithy/core/config";

/** The clients the tools use, with the SDK's service id of each. */
export const SERVICE_IDS = {
  s3: "S3",
  s3control: "S3 Control",
  sts: "STS",
  iam: "IAM",
  kms: "KMS",
  cloudwatch: "CloudWatch",
} as const;

export type ServiceName = keyof typeof SERVICE_IDS;

/** The profiles and `services` sections of the shared AWS config file. */
export type SharedConfig = Readonly<Record<string, Readonly<Record<string, string | undefined>> | undefined>>;

export interface ConfiguredEndpoint {
  readonly url: string;
  /** Which setting it came from, for messages: "--endpoint-url", "AWS_ENDPOINT_URL_S3", "profile ops". */
  readonly from: string;
}

export class EndpointError extends Error {}

export interface EndpointSettings {
  /** `--endpoint-url`: every client. */
  readonly explicit?: string;
  readonly env: NodeJS.ProcessEnv;
  /** The shared config file's sections (loadSharedConfig). */
  readonly config: SharedConfig;
  /** The profile the account's credentials come from (its own, else $AWS_PROFILE, else default). */
  readonly profile: string;
}

/** AWS_ENDPOINT_URL_S3_CONTROL, s3_control: the service id, upper or lower case, spaces as underscores. */
function serviceKey(service: ServiceName): string {
  return SERVICE_IDS[service].replaceAll(" ", "_");
}

/** 127.0.0.0/8, ::1 and localhost: addresses whose traffic never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

/**
 * A well-formed endpoint, and plain http:// only to a loopback address: every request carries a
 * SigV4 signature and, with temporary credentials, the session token in X-Amz-Security-Token,
 * which anyone on the path of an unencrypted connection reads and can replay.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
function checked(endpoint: ConfiguredEndpoint): ConfiguredEndpoint {
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    throw new EndpointError(`${endpoint.from} is not a URL: "${endpoint.url}" (use one like http://127.0.0.1:5000)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EndpointError(`${endpoint.from} must start with http:// or https://, not "${endpoint.url}"`);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new EndpointError(
      `${endpoint.from} is ${endpoint.url}: plain http:// would send your signed requests and session token unencrypted to ${url.hostname}. Use https://, or an emulator on 127.0.0.1, ::1 or localhost (plain http:// is accepted only there)`,
    );
  }
  return endpoint;
}

/** The endpoint one service's client uses, or undefined for the SDK's default (AWS). */
export function configuredEndpoint(service: ServiceName, settings: EndpointSettings): ConfiguredEndpoint | undefined {
  const { explicit, env, config, profile } = settings;
  if (explicit) return checked({ url: explicit, from: "--endpoint-url" });
  const section = config[profile] ?? {};
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? section.ignore_configured_endpoint_urls;
  if (ignore?.toLowerCase() === "true") return undefined;
  const specificVariable = `AWS_ENDPOINT_URL_${serviceKey(service).toUpperCase()}`;
  if (env[specificVariable]) return checked({ url: env[specificVariable], from: specificVariable });
  if (env.AWS_ENDPOINT_URL) return checked({ url: env.AWS_ENDPOINT_URL, from: "AWS_ENDPOINT_URL" });
  if (section.services) {
    const services = config[`services.${section.services}`];
    if (!services) {
      throw new EndpointError(
        `profile ${profile} names services section "${section.services}", which the AWS config file does not have: add [services ${section.services}]`,
      );
    }
    const url = services[`${serviceKey(service).toLowerCase()}.endpoint_url`];
    if (url) return checked({ url, from: `[services ${section.services}] of profile ${profile}` });
  }
  if (section.endpoint_url) return checked({ url: section.endpoint_url, from: `endpoint_url of profile ${profile}` });
  return undefined;
}

/**
 * Whether a host can take a name in front of it (S3 Control's `<account-id>.`, S3's `<bucket>.`):
 * not an IP address, not a single label such as `localhost` or a container name.
 */
export function takesHostPrefix(url: string): boolean {
  const { hostname } = new URL(url);
  const bare = hostname.replace(/^\[|\]$/g, "");
  return isIP(bare) === 0 && hostname.includes(".");
}

/** Whether an endpoint is AWS's own (a VPC endpoint, FIPS): then the SDK's addressing applies. */
export function isAwsHost(url: string): boolean {
  const { hostname } = new URL(url);
  return /(^|\.)amazonaws\.com(\.cn)?$/.test(hostname);
}

/**
 * What to say about an endpoint that is not AWS's own: it receives the signed requests, and what
 * it answers is taken for AWS's, a NoSuchBucket from it included.
 */
export function endpointWarning(endpoint: ConfiguredEndpoint): string | undefined {
  if (isAwsHost(endpoint.url)) return undefined;
  return `warning: ${endpoint.from} sends AWS requests, signed with your credentials, to ${endpoint.url}, which is not an AWS endpoint: what it answers is taken for AWS's answer, a NoSuchBucket for a bucket that does not exist`;
}

/** Prints each endpoint's warning once, however many clients and accounts use it. */
export function endpointNotices(warn: (line: string) => void): (endpoint: ConfiguredEndpoint) => void {
  const seen = new Set<string>();
  return (endpoint) => {
    const warning = endpointWarning(endpoint);
    if (!warning || seen.has(endpoint.url)) return;
    seen.add(endpoint.url);
    warn(warning);
  };
}

/**
 * Every endpoint the standard settings configure for these profiles, for any service: Terraform's
 * AWS provider reads the same settings and calls more services than the tools (SNS, CloudWatch).
 * Each is checked as configuredEndpoint checks the one it picks.
 */
export function configuredEndpoints(
  env: NodeJS.ProcessEnv,
  config: SharedConfig,
  profiles: readonly string[],
): ConfiguredEndpoint[] {
  const found: ConfiguredEndpoint[] = [];
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== "true") {
    for (const [name, url] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (url && /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(name)) found.push({ url, from: name });
    }
  }
  for (const profile of new Set(profiles)) {
    const section = config[profile] ?? {};
    const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? section.ignore_configured_endpoint_urls;
    if (ignore?.toLowerCase() === "true") continue;
    if (section.endpoint_url) found.push({ url: section.endpoint_url, from: `endpoint_url of profile ${profile}` });
    const services = section.services ? config[`services.${section.services}`] : undefined;
    for (const [key, url] of Object.entries(services ?? {})) {
      if (url && key.endsWith(".endpoint_url")) {
        found.push({ url, from: `${key} in [services ${section.services}] of profile ${profile}` });
      }
    }
  }
  return found.map(checked);
}

/** The shared config file, as the SDK reads it ($AWS_CONFIG_FILE, else ~/.aws/config). */
export async function loadSharedConfig(env: NodeJS.ProcessEnv): Promise<SharedConfig> {
  const { configFile } = await loadSharedConfigFiles({
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ignoreCache: true,
  });
  return configFile;
}
