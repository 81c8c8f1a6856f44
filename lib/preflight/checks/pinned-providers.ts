import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { RootFacts } from "../stack-facts";

/** Every provider pins allowed_account_ids to one account. */
export function checkPinnedProviders(facts: RootFacts): CheckResult[] {
  return [...facts.providers.entries()].map(([name, p]) => {
    const base = { stack: facts.stack.name, check: "allowed_account_ids", resource: `provider ${name}` };
    return p.allowedAccountIds.length === 1 && /^\d{12}$/.test(p.allowedAccountIds[0])
      ? pass({ ...base, detail: p.allowedAccountIds[0] })
      : fail({
          ...base,
          detail: `allowed_account_ids is ${JSON.stringify(p.allowedAccountIds)}: pin exactly one account`,
          help: HELP.unpinned,
        });
  });
}
