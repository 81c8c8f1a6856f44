/** One finding of preflight or doctor: a request or a check, passed or failed. */
export interface CheckResult {
  readonly stack: string;
  /** The rule a request belongs to; absent for stack-wide checks. */
  readonly rule?: string;
  /** What was checked: an action ("s3:ReplicateObject") or a check name ("versioning"). */
  readonly check: string;
  readonly principal?: string;
  readonly resource?: string;
  readonly passed: boolean;
  /** Why it failed, or a note on what was and was not evaluated. */
  readonly detail?: string;
  /** The section of help/troubleshooting.md that explains a failure. */
  readonly help?: string;
  /**
   * The HTTP status of the answer when the check failed because its own AWS call failed (403,
   * 404, 500, ...), so a pipeline can tell an unanswered call from a failed check.
   */
  readonly httpStatus?: number;
}

export const HELP = {
  assumeRole: "help/troubleshooting.md#s3-cannot-assume-the-replication-role",
  accessDenied: "help/troubleshooting.md#accessdenied-errors",
  ownerOverride: "help/troubleshooting.md#replicated-objects-inaccessible-in-the-destination-account",
  kms: "help/troubleshooting.md#kms-permissions",
  versioning: "help/troubleshooting.md#versioning-must-be-enabled-error",
  bucketPolicy: "help/troubleshooting.md#a-bucket-policy-written-twice-or-too-large",
  documentOwner: "help/troubleshooting.md#a-bucket-level-document-written-twice",
  roleMismatch: "help/troubleshooting.md#the-replication-configuration-names-another-role",
  wrongAccount: "help/troubleshooting.md#a-resource-sits-on-the-wrong-accounts-provider",
  wildcards: "help/troubleshooting.md#wildcards-in-the-role-policy",
  grantTooWide: "help/troubleshooting.md#preflight-finds-a-grant-no-rule-needs",
  unpinned: "help/troubleshooting.md#terraform-stops-with-aws-account-id-not-allowed",
  credentials: "help/troubleshooting.md#credentials-in-the-synthesized-json",
  unknownAction: "help/troubleshooting.md#an-action-name-iam-does-not-know",
  batch: "help/troubleshooting.md#a-batch-replication-job-fails",
  notReplicating: "help/troubleshooting.md#objects-not-replicating",
  failedStatus: "help/troubleshooting.md#replication-status-shows-failed",
  endpoint: "help/troubleshooting.md#the-tools-cannot-reach-aws-or-the-endpoint",
  operatorCredentials: "help/troubleshooting.md#your-credentials-are-missing-or-expired",
  operatorPermissions: "help/troubleshooting.md#your-own-permission-is-missing",
  notFound: "help/troubleshooting.md#a-bucket-role-key-or-job-does-not-exist",
  encryption: "help/troubleshooting.md#a-buckets-default-encryption-differs-from-the-config",
} as const;

export function pass(base: Omit<CheckResult, "passed">): CheckResult {
  return { ...base, passed: true };
}

export function fail(base: Omit<CheckResult, "passed">): CheckResult {
  return { ...base, passed: false };
}
