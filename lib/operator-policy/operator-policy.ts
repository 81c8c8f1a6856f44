/**
 * The least-privilege IAM policies of whoever runs the tools: one per account and per command
 * (plan, apply, doctor, backfill, status, verify), from the synthesized stacks (what Terraform calls) and
 * the config (what the live tools call). Attach each to the role or user that runs that command
 * in that account: a workstation's profile, or a pipeline's assumed role.
 */
import type { Model } from "../config/model";
import { oneOrMany, type PolicyDocument, policyDocument, type Statement } from "../policies/policy-document";
import { existingBucketCheckPermissions, prerequisiteCheckPermissions } from "./check-permissions";
import { opsPermissions } from "./ops-permissions";
import { OPERATOR_COMMANDS, type OperatorCommand, type Permission } from "./permission";
import { STATE_BACKEND_ACCOUNT, type TerraformPermissions } from "./terraform-permissions";

export interface AccountPolicies {
  readonly account: string;
  readonly accountId: string;
  readonly policies: Readonly<Partial<Record<OperatorCommand, PolicyDocument>>>;
  /** What a policy lets its holder do beyond the stacks' own resources, in words, by command. */
  readonly notes: Readonly<Partial<Record<OperatorCommand, readonly string[]>>>;
}

const capitalized = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

/**
 * Statements from permissions: the actions on each resource (with its condition) gathered, then
 * resources with the same actions in one statement, sorted so the output is deterministic.
 */
export function statementsOf(command: OperatorCommand, permissions: readonly Permission[]): Statement[] {
  type Shape = Pick<Permission, "condition" | "note">;
  const shapeKey = ({ condition, note }: Shape) => JSON.stringify([condition ?? null, note ?? null]);
  const byResource = new Map<string, Shape & { resource: string; actions: Set<string> }>();
  for (const p of permissions) {
    const key = `${p.resource}|${shapeKey(p)}`;
    const entry = byResource.get(key) ?? {
      resource: p.resource,
      condition: p.condition,
      note: p.note,
      actions: new Set(),
    };
    entry.actions.add(p.action);
    byResource.set(key, entry);
  }
  const byActions = new Map<string, Shape & { actions: string[]; resources: string[] }>();
  for (const { resource, actions, ...shape } of byResource.values()) {
    const sorted = [...actions].sort();
    const key = `${sorted.join(",")}|${shapeKey(shape)}`;
    const entry = byActions.get(key) ?? { actions: sorted, resources: [], ...shape };
    entry.resources.push(resource);
    byActions.set(key, entry);
  }
  const sortKey = (e: Shape & { actions: string[]; resources: string[] }) =>
    `${e.actions.join()}|${e.resources.join()}|${shapeKey(e)}`;
  return [...byActions.values()]
    .map((e) => ({ ...e, resources: e.resources.sort() }))
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
    .map(
      ({ actions, resources, condition, note }, n): Statement => ({
        Sid: `${capitalized(command)}${n + 1}${note ?? ""}`,
        Effect: "Allow",
        Action: oneOrMany(actions),
        Resource: oneOrMany(resources),
        ...(condition ? { Condition: condition as Statement["Condition"] } : {}),
      }),
    );
}

/** In plain words, what a permission marked with a note lets its holder do. */
function notesOf(command: OperatorCommand, permissions: readonly Permission[]): string[] {
  const roles = [
    ...new Set(permissions.filter((p) => p.note === "RoleWithoutPermissionsBoundary").map((p) => p.resource)),
  ].sort();
  return roles.map((role) => {
    const [, , , , accountId, name] = role.split(":");
    return `${command}: the role ${name.replace(/^role\//, "")} has no permissions boundary in the config. Whoever holds this policy can replace that role's inline policy and trust policy (iam:PutRolePolicy, iam:UpdateAssumeRolePolicy) and then act as the role, with any permission in account ${accountId}, not only replication's. Set the role's permissionsBoundary (replications[].role.permissionsBoundary) to a policy that allows what replication needs: this policy then allows role changes only under that boundary, and never its removal.`;
  });
}

/** Every account's policies, in the order the config names the accounts. */
export function operatorPolicies(model: Model, stacks: readonly TerraformPermissions[]): AccountPolicies[] {
  const checks = existingBucketCheckPermissions(model);
  const permissions: Record<OperatorCommand, Permission[]> = {
    plan: [...stacks.flatMap((s) => s.plan), ...checks],
    apply: [...stacks.flatMap((s) => s.apply), ...checks, ...prerequisiteCheckPermissions(model)],
    doctor: model.replications.flatMap((r) => opsPermissions(r, "doctor")),
    backfill: model.replications.flatMap((r) => opsPermissions(r, "backfill")),
    status: model.replications.flatMap((r) => opsPermissions(r, "status")),
    verify: [...stacks.flatMap((s) => s.verify), ...model.replications.flatMap((r) => opsPermissions(r, "verify"))],
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
  return [...accounts].map(([accountId, account]) => {
    // sts:GetCallerIdentity needs no permission; doctor calls it in every account.
    const mine = (command: OperatorCommand) => permissions[command].filter((p) => p.accountId === accountId);
    const commands = OPERATOR_COMMANDS.filter((command) => mine(command).length > 0);
    return {
      account,
      accountId,
      policies: Object.fromEntries(commands.map((c) => [c, policyDocument(statementsOf(c, mine(c)))])),
      notes: Object.fromEntries(
        commands.flatMap((c) => {
          const notes = notesOf(c, mine(c));
          return notes.length > 0 ? [[c, notes]] : [];
        }),
      ),
    };
  });
}
