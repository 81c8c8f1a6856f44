import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { RootFacts } from "../stack-facts";
import { asList, statementsOf } from "../terraform-json";

/** The role's own policies name exact actions and resources: no wildcard action, no Resource "*". */
export function checkRoleWildcards(facts: RootFacts): CheckResult[] {
  return facts.roles
    .flatMap((r) => r.inlinePolicies)
    .map((p) => {
      const problems = statementsOf(p.policy).flatMap((s) => [
        ...asList<string>(s.Action)
          .filter((a) => /[*?]/.test(a))
          .map((a) => `wildcard action ${a}`),
        ...(s.NotAction ? ["NotAction"] : []),
        ...asList<string>(s.Resource)
          .filter((r) => r === "*" || /^arn:[^:]+:s3:::\*/.test(r))
          .map((r) => `Resource ${r}`),
      ]);
      const base = { stack: facts.stack.name, check: "least privilege", resource: p.address };
      return problems.length === 0 ? pass(base) : fail({ ...base, detail: problems.join("; "), help: HELP.wildcards });
    });
}
