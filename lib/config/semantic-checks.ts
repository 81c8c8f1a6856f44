/**
 * Rules that relate one field to another, one file per concern under checks/. They run on a
 * config that passed the schema, and each returns every problem it finds, so a person sees them
 * all at once.
 */
import { checkAccountReferences, checkCredentials } from "./checks/accounts";
import { checkSharedDestinations, checkSourcesUnique, checkStateBucket } from "./checks/across-stacks";
import { checkArnPartitions, checkRoleAccounts } from "./checks/arns";
import {
  checkBucketNames,
  checkConsistentMentions,
  checkObjectLock,
  checkObjectOwnership,
  checkPartitions,
  checkSelfReplication,
} from "./checks/buckets";
import type { Check } from "./checks/check";
import { checkReplicaKeyAgreement, checkReplicaKeyAliases, checkSourceKeys, checkSseKms } from "./checks/encryption";
import { checkOrganizationPrefixes } from "./checks/organization";
import { checkDestinationPolicies } from "./checks/policies";
import { checkPrefixCharacters } from "./checks/prefixes";
import {
  checkDeleteMarkers,
  checkMonitoring,
  checkReplicaModifications,
  checkReplicationTime,
  checkRuleIdentity,
} from "./checks/rules";
import { checkReservedStackNames, checkStackNameCollisions } from "./checks/stack-names";
import { checkVisibleText } from "./checks/visible-text";
import type { ConfigIssue } from "./config-error";
import type { Config } from "./schema";

const CHECKS: readonly Check[] = [
  checkCredentials,
  checkRoleAccounts,
  checkBucketNames,
  checkAccountReferences,
  checkSelfReplication,
  checkConsistentMentions,
  checkPartitions,
  checkArnPartitions,
  checkVisibleText,
  checkPrefixCharacters,
  checkRuleIdentity,
  checkDeleteMarkers,
  checkReplicationTime,
  checkSseKms,
  checkSourceKeys,
  checkReplicaKeyAgreement,
  checkReplicaKeyAliases,
  checkObjectLock,
  checkObjectOwnership,
  checkReplicaModifications,
  checkMonitoring,
  checkDestinationPolicies,
  checkSourcesUnique,
  checkSharedDestinations,
  checkReservedStackNames,
  checkStackNameCollisions,
  checkOrganizationPrefixes,
  checkStateBucket,
];

export function semanticIssues(config: Config): ConfigIssue[] {
  return CHECKS.flatMap((check) => check(config));
}
