/**
 * The least-privilege IAM policies of whoever runs the tools: one per account and per command
 * (plan, apply, doctor, backfill, status), from the synthesized stacks (what Terraform calls) and
 * the config (what the live tools call). Attach each to the role or user that runs that command
 * in that account: a workstation's profile, or a pipeline's assumed role.
 */
import type { Model } from "../config/model";
import { oneOrMany, type PolicyDocument, policyDocument, type Statement } from "../policies/policy-document";
import { opsPermissions } from "./ops-permissions";
import { OPERATOR_COMMANDS, type OperatorCommand, type Permission } from "./permission";
import { STATE_BACKEND_ACCOUNT, type TerraformPermissions } from "./terraform-permissions";

export interface AccountPolicies {
  readonly account: string;
  readonly accountId: string;
  readonly policies: Readonly<Partial<Record<OperatorCommand, PolicyDocument>>>;
}

const capitalized = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/**
 * Statements from permissions: the actions on each resource (with its condition) gathered, then
 * resources with the same actions in one statement, sorted so the output is deterministic.
 */
export function statementsOf(command: OperatorCommand, permissions: readonly Permission[]): Statement[] {
  const byResource = new Map<string, { resource: string; condition?: Permission["condition"]; actions: Set<string> }>();
  for (const p of permissions) {
    const key = `${p.resource}|${JSON.stringify(p.condition ?? null)}`;
    const entry = byResource.get(key) ?? { resource: p.resource, condition: p.condition, actions: new Set<string>() };
    entry.actions.add(p.action);
    byResource.set(key, entry);
  }
  const byActions = new Map<string, { actions: string[]; resources: string[]; condition?: Permission["condition"] }>();
  for (const { resource, condition, actions } of byResource.values()) {
    const sorted = [...actions].sort();
    const key = `${sorted.join(",")}|${JSON.stringify(condition ?? null)}`;
    const entry = byActions.get(key) ?? { actions: sorted, resources: [], condition };
    entry.resources.push(resource);
    byActions.set(key, entry);
  }
  return [...byActions.values()]
    .map((e) => ({ ...e, resources: e.resources.sort() }))
    .sort((a, b) => (a.actions.join() + a.resources.join() < b.actions.join() + b.resources.join() ? -1 : 1))
    .map(
      ({ actions, resources, condition }, n): Statement => ({
        Sid: `${capitalized(command)}${n + 1}`,
        Effect: "Allow",
        Action: oneOrMany(actions),
        Resource: oneOrMany(resources),
        ...(condition ? { Condition: condition as Statement["Condition"] } : {}),
      }),
    );
}

/** Every account's policies, in the order the config names the accounts. */
export function operatorPolicies(model: Model, stacks: readonly TerraformPermissions[]): AccountPolicies[] {
  const permissions: Record<OperatorCommand, Permission[]> = {
    plan: stacks.flatMap((s) => s.plan),
    apply: stacks.flatMap((s) => s.apply),
    doctor: model.replications.flatMap((r) => opsPermissions(r, "doctor")),
    backfill: model.replications.flatMap((r) => opsPermissions(r, "backfill")),
    status: model.replications.flatMap((r) => opsPermissions(r, "status")),
  };
  const accounts = new Map<string, string>();
  for (const r of model.replications) {
    for (const b of [r.source, ...r.destinations]) accounts.set(b.account.accountId, b.account.name);
  }
  if (model.stateBootstrap) accounts.set(model.stateBootstrap.account.accountId, model.stateBootstrap.account.name);
  if (permissions.apply.some((p) => p.accountId === STATE_BACKEND_ACCOUNT)) {
    accounts.set(
      STATE_BACKEND_ACCOUNT,
      "the state bucket's account (the backend names no credentials: the environment's)",
    );
  }
  return [...accounts].map(([accountId, account]) => ({
    account,
    accountId,
    policies: Object.fromEntries(
      OPERATOR_COMMANDS.flatMap((command) => {
        // sts:GetCallerIdentity needs no permission; doctor calls it in every account.
        const mine = permissions[command].filter((p) => p.accountId === accountId);
        return mine.length > 0 ? [[command, policyDocument(statementsOf(command, mine))]] : [];
      }),
    ),
  }));
}
