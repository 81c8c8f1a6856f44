/**
 * What went wrong when one of the operator's own AWS calls failed, in words, with the runbook
 * section for it. These are failures of whoever runs doctor, backfill or status (no connection,
 * no credentials, a permission they lack, a bucket that is not there), never replication faults:
 * those are the checks' own findings.
 */
import { HELP } from "../check-result";
import { EndpointError } from "./endpoints";

export type FailureClass =
  | "connection"
  | "credentials"
  | "operator-permission"
  | "not-found"
  | "wrong-region"
  | "endpoint-setting"
  | "not-aws-answer"
  | "other";

export interface AwsFailure {
  readonly kind: FailureClass;
  /** One line for a person: what failed and what to do. */
  readonly message: string;
  readonly help?: string;
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH"]);

/** Error names AWS uses for unusable credentials (missing, expired, revoked, of another partition). */
const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "InvalidClientTokenId",
  "InvalidAccessKeyId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "TokenRefreshRequired",
  "InvalidToken",
]);

const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Forbidden"]);

const NOT_FOUND: Record<string, string> = {
  NoSuchBucket: "the bucket does not exist (check the name, the account and that the stack is applied)",
  NoSuchEntity: "the IAM role does not exist in this account: apply the stack",
  NoSuchEntityException: "the IAM role does not exist in this account: apply the stack",
  NotFoundException: "the KMS key or alias does not exist in this account and Region",
  NoSuchJob: "no Batch Operations job with this id in this account and Region",
};

const REGION_ERRORS = new Set([
  "PermanentRedirect",
  "AuthorizationHeaderMalformed",
  "IllegalLocationConstraintException",
]);

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  hostname?: string;
  address?: string;
  port?: number;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The network error underneath an SDK error, if any (the SDK wraps some, not all). */
function networkCode(error: ErrorShape): { code: string; where?: string } | undefined {
  for (let e: ErrorShape | undefined = error, depth = 0; e && depth < 4; e = e.cause as ErrorShape, depth++) {
    if (e.code && CONNECTION_CODES.has(e.code)) {
      const where = e.hostname ?? (e.address ? `${e.address}${e.port ? `:${e.port}` : ""}` : undefined);
      return { code: e.code, where };
    }
  }
  if (error.name === "TimeoutError") return { code: "ETIMEDOUT" };
  return undefined;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name could not be resolved",
  ETIMEDOUT: "timed out",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "the host is unreachable",
};

export function classifyAwsFailure(error: unknown): AwsFailure {
  const e = (error ?? {}) as ErrorShape;
  const name = e.name ?? "Error";
  const said = `${name}: ${e.message ?? String(error)}`;
  if (error instanceof EndpointError)
    return { kind: "endpoint-setting", message: e.message ?? "", help: HELP.endpoint };
  const network = networkCode(e);
  if (network) {
    return {
      kind: "connection",
      message: `cannot reach ${network.where ?? "AWS"}: ${NETWORK_WORDS[network.code]}. Is the endpoint (AWS_ENDPOINT_URL, a profile's endpoint_url, --endpoint-url) right and running?`,
      help: HELP.endpoint,
    };
  }
  if (CREDENTIAL_ERRORS.has(name) || /could not load credentials/i.test(e.message ?? "")) {
    return {
      kind: "credentials",
      message: `${said} — your credentials are missing or expired: log in again (aws sso login, a fresh session) or fix the profile or role in the config`,
      help: HELP.operatorCredentials,
    };
  }
  if (ACCESS_DENIED.has(name) || (e.$metadata?.httpStatusCode === 403 && name === "UnknownError")) {
    return {
      kind: "operator-permission",
      message: `${said} — your own credentials lack this permission (not a replication fault): see npm run operator-policy`,
      help: HELP.operatorPermissions,
    };
  }
  if (NOT_FOUND[name]) return { kind: "not-found", message: `${said} — ${NOT_FOUND[name]}`, help: HELP.notFound };
  if (REGION_ERRORS.has(name)) {
    return {
      kind: "wrong-region",
      message: `${said} — the bucket is in another Region than the config says: fix its "region"`,
      help: HELP.notFound,
    };
  }
  const status = e.$metadata?.httpStatusCode;
  if (/parse error|deserializ|Expected closing tag|Unexpected token/i.test(e.message ?? "")) {
    return {
      kind: "not-aws-answer",
      message: `the endpoint answered${status ? ` HTTP ${status}` : ""} with something that is not an AWS answer (${e.message}): it may not implement this call (an emulator), or not be the service the setting meant`,
      help: HELP.endpoint,
    };
  }
  return { kind: "other", message: said };
}
