/**
 * What a saved plan proposes besides the existing-policy guard's reads. A stack with the guard
 * (lib/constructs/existing-policy-guard.ts) always plans its check's scoped data source to be read
 * again during the apply (hashicorp/terraform#36536), so `terraform plan -detailed-exitcode` exits
 * 2 even when nothing changed. The saved plan's JSON (`terraform show -json`) tells it apart
 * exactly: every resource change is a no-op or a `read` with `action_reason`
 * `read_because_check_nested`, and every output change a no-op. The end-to-end second plan and
 * `npm run verify`'s drift check both read it here.
 * @see https://developer.hashicorp.com/terraform/cli/commands/plan#detailed-exitcode
 * @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 */

export interface PlanChange {
  readonly address?: string;
  readonly action_reason?: string;
  readonly change?: { readonly actions?: readonly string[] };
}

export interface ShownPlan {
  readonly resource_changes?: readonly PlanChange[];
  readonly output_changes?: Readonly<Record<string, { readonly actions?: readonly string[] }>>;
}

const noOp = (actions: readonly string[] | undefined) => actions?.length === 1 && actions[0] === "no-op";

function guardRead(change: PlanChange): boolean {
  const actions = change.change?.actions;
  return change.action_reason === "read_because_check_nested" && actions?.length === 1 && actions[0] === "read";
}

/** Each change other than a no-op or a guard read, as `<address>: <actions>` (outputs as `output.<name>`). */
export function changesBesidesGuardReads(plan: ShownPlan): string[] {
  const resources = (plan.resource_changes ?? [])
    .filter((c) => !noOp(c.change?.actions) && !guardRead(c))
    .map((c) => `${c.address ?? "?"}: ${(c.change?.actions ?? []).join(", ")}`);
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, o]) => !noOp(o.actions))
    .map(([name, o]) => `output.${name}: ${(o.actions ?? []).join(", ")}`);
  return [...resources, ...outputs];
}

/** The saved plan proposes nothing but the guard's reads. */
export function onlyGuardReads(plan: ShownPlan): boolean {
  return changesBesidesGuardReads(plan).length === 0;
}
