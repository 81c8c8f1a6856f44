/**
 * A filter prefix is written into the replication role's policy (as part of an object ARN), and
 * IAM policy documents may hold only tab, line feed, carriage return and U+0020 to U+00FF.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
 */
import { codePointName } from "../../escape/visible";
import type { Check } from "./check";
import { eachRule, issue } from "./check";

// Only what lies above U+00FF: controls are refused by visible-text.ts, whatever IAM accepts.
const OUTSIDE_IAM_CHARACTERS = /[^\p{Cc}\u0020-\u00ff]/u;

export const checkPrefixCharacters: Check = (config) =>
  eachRule(config, (rule, path) => {
    const prefix = rule.filter?.prefix;
    const bad = prefix ? OUTSIDE_IAM_CHARACTERS.exec(prefix) : null;
    return bad
      ? [
          issue(
            [...path, "filter", "prefix"],
            `holds ${codePointName(bad[0])}, which IAM policies cannot hold (only tab, line breaks and U+0020 to U+00FF), and the role policy names this prefix: use a prefix of those characters`,
          ),
        ]
      : [];
  });
