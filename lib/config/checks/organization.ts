/**
 * Organization mode writes each member account's grant under its own key prefix (the bucket
 * policy's Resource holds the aws:PrincipalAccount policy variable). A listed source whose rule
 * writes elsewhere would be refused by the bucket policy: say so before anything is synthesized.
 */
import { accountNamed, accountPrefixOf } from "../model";
import type { Check } from "./check";
import { eachRule, issue } from "./check";

export const checkOrganizationPrefixes: Check = (config) =>
  eachRule(config, (rule, path, replication) => {
    const bucket = rule.destination.bucket;
    const organization = Object.hasOwn(config.sharedDestinations, bucket)
      ? config.sharedDestinations[bucket].organization
      : undefined;
    const accountId = accountNamed(config, replication.source.account)?.accountId;
    if (!organization || !accountId) return [];
    const { before, after } = accountPrefixOf(organization.accountKeyPrefix);
    const own = `${before}${accountId}${after}`;
    const prefix = rule.filter?.prefix ?? "";
    return prefix.startsWith(own)
      ? []
      : [
          issue(
            [...path, "filter", "prefix"],
            `${prefix ? `"${prefix}" is outside` : "no prefix means the whole bucket, outside"} this source's part of the organization's bucket "${bucket}": each member account may write only under sharedDestinations["${bucket}"].organization.accountKeyPrefix ("${organization.accountKeyPrefix}") with its own account id, so set a prefix starting with "${own}"`,
          ),
        ];
  });
