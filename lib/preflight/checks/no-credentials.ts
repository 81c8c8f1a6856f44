import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { RootFacts } from "../stack-facts";

const SECRET_KEYS = /"(access_key|secret_key|token|session_token|shared_credentials_files?)"\s*:/;
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;

/** The JSON names profiles and roles only: no access keys, secrets or session tokens. */
export function checkNoCredentials(facts: RootFacts): CheckResult[] {
  const text = JSON.stringify(facts.stack.json);
  const found = [SECRET_KEYS.exec(text)?.[1], ACCESS_KEY_ID.exec(text) ? "an access key id" : undefined].filter(
    (f): f is string => f !== undefined,
  );
  const base = { stack: facts.stack.name, check: "no credentials", resource: "cdk.tf.json" };
  return [
    found.length === 0
      ? pass(base)
      : fail({ ...base, detail: `the JSON holds ${found.join(" and ")}`, help: HELP.credentials }),
  ];
}
