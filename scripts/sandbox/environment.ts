/**
 * The environment a sandbox hands to the shell: the end-to-end test's (emulatorEnv: the emulator
 * for every AWS client, the sandbox's profiles, the provider from the filesystem mirror), the
 * sandbox's synthesized stacks and config, and a dead proxy for everything but loopback, so that
 * a request that would miss the emulator fails instead of reaching AWS.
 */
import { join } from "node:path";
import { emulatorEnv } from "../../__tests__/e2e/world";

/**
 * Nothing listens on port 9 (discard) of 127.0.0.1: a client that honours HTTPS_PROXY (Terraform
 * and its providers, boto3, Node.js with NODE_USE_ENV_PROXY=1) cannot reach any other host.
 */
export const DEAD_PROXY = "http://127.0.0.1:9";

/** Set by the sandbox, in this order. */
const FROM_E2E = [
  "AWS_ENDPOINT_URL",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_EC2_METADATA_DISABLED",
  "TF_CLI_CONFIG_FILE",
  "CHECKPOINT_DISABLE",
] as const;

/**
 * What a machine may already have that would send a command elsewhere than the emulator: real
 * credentials, another profile or config, a pipeline's role map, other endpoints.
 */
export const UNSET = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  "REPLICATION_ROLE_ARNS",
] as const;

export function sandboxVariables(dir: string, endpoint: string, config: string): Array<[string, string]> {
  const e2e = emulatorEnv(dir, endpoint);
  return [
    ...FROM_E2E.map((name): [string, string] => [name, e2e[name] as string]),
    ["TF_PLUGIN_CACHE_DIR", join(dir, "plugin-cache")],
    ["CDKTF_OUTDIR", join(dir, "cdktf.out")],
    ["REPLICATION_CONFIG", config],
    ["HTTPS_PROXY", DEAD_PROXY],
    ["HTTP_PROXY", DEAD_PROXY],
    ["NO_PROXY", "127.0.0.1,localhost"],
    ["NODE_USE_ENV_PROXY", "1"],
  ];
}

/** POSIX shell single quotes: the value as it is, whatever it holds. */
function quoted(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/** The lines of env.sh: `source` it, or `eval "$(npm run --silent sandbox)"`. */
export function exportLines(variables: ReadonlyArray<[string, string]>): string[] {
  return [`unset ${UNSET.join(" ")}`, ...variables.map(([name, value]) => `export ${name}=${quoted(value)}`)];
}

/** What `npm run sandbox -- stop` tells the shell to forget. */
export function unsetLine(variables: ReadonlyArray<[string, string]>): string {
  return `unset ${variables.map(([name]) => name).join(" ")}`;
}
