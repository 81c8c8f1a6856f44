/** One permission an operator's tool needs: an action on a resource, in one account. */
export interface Permission {
  readonly accountId: string;
  readonly action: string;
  /** An ARN or ARN pattern; "*" only for actions IAM cannot scope to a resource. */
  readonly resource: string;
  /** An IAM condition block, when the resource alone cannot say it (a key found by its alias). */
  readonly condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /**
   * Said in the Sid of the statement that grants it: a grant whose reader must know what it
   * allows (role changes without a permissions boundary can make the role do anything).
   */
  readonly note?: "RoleWithoutPermissionsBoundary";
}

/** The commands an operator runs, each with its own policy. */
export const OPERATOR_COMMANDS = ["plan", "apply", "doctor", "backfill", "status", "verify"] as const;

export type OperatorCommand = (typeof OPERATOR_COMMANDS)[number];
