/**
 * Pipelines have no AWS CLI profiles: they get base credentials from the environment (GitHub's
 * OIDC role, say) and assume a role in each account. The same config file serves both: these
 * environment variables replace an account's credentials with a role to assume.
 *
 *   REPLICATION_ROLE_ARNS          JSON object, account name -> role ARN to assume in it
 *   REPLICATION_BACKEND_ROLE_ARN   role for the S3 state backend
 *   REPLICATION_SESSION_NAME       session name of the assumed roles (default replication-pipeline)
 */
import type { ConfigIssue } from "./config-error";
import type { Config, Credentials } from "./schema";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
export const ROLE_ARNS_VARIABLE = "REPLICATION_ROLE_ARNS";
export const BACKEND_ROLE_VARIABLE = "REPLICATION_BACKEND_ROLE_ARN";

export function pipelineCredentials(config: Config, env: NodeJS.ProcessEnv): { config: Config; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const sessionName = env.REPLICATION_SESSION_NAME?.trim() || "replication-pipeline";
  const assume = (roleArn: string): Credentials => ({ roleArn, sessionName });
  const path = (name: string) => [`$${ROLE_ARNS_VARIABLE}`, name];
  let accounts = config.accounts;
  const text = env[ROLE_ARNS_VARIABLE]?.trim();
  if (text) {
    let roles: unknown;
    try {
      roles = JSON.parse(text);
    } catch {
      roles = undefined;
    }
    if (!roles || typeof roles !== "object" || Array.isArray(roles)) {
      issues.push({
        path: [`$${ROLE_ARNS_VARIABLE}`],
        message:
          'must be a JSON object of account name to role ARN, like {"source":"arn:aws:iam::111122223333:role/deployer"}',
      });
    } else {
      accounts = { ...accounts };
      for (const [name, arn] of Object.entries(roles as Record<string, unknown>)) {
        if (!Object.hasOwn(accounts, name)) {
          issues.push({
            path: path(name),
            message: `unknown account: use one of ${Object.keys(config.accounts).join(", ")}`,
          });
        } else if (typeof arn !== "string" || !ROLE_ARN.test(arn)) {
          issues.push({
            path: path(name),
            message: "must be an IAM role ARN like arn:aws:iam::111122223333:role/name",
          });
        } else if (arn.split(":")[4] !== accounts[name].accountId) {
          issues.push({
            path: path(name),
            message: `the role is in account ${arn.split(":")[4]}, not ${accounts[name].accountId}: name a role in that account`,
          });
        } else {
          accounts[name] = { ...accounts[name], credentials: assume(arn) };
        }
      }
    }
  }
  let backend = config.backend;
  const backendRole = env[BACKEND_ROLE_VARIABLE]?.trim();
  if (backendRole && backend.type === "s3") {
    if (ROLE_ARN.test(backendRole)) backend = { ...backend, credentials: assume(backendRole) };
    else
      issues.push({
        path: [`$${BACKEND_ROLE_VARIABLE}`],
        message: "must be an IAM role ARN like arn:aws:iam::111122223333:role/name",
      });
  }
  return { config: { ...config, accounts, backend }, issues };
}
