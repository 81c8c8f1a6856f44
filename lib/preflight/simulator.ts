/**
 * The one module that uses @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency): a real IAM
 * policy evaluator, run offline on the synthesized policies.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { hasColonContextKeys, resolveColonContextKeys } from "./colon-context-keys";

export interface SimulatedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource: a different one from the principal's makes it cross-account. */
  readonly resourceAccount: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** Parsed policy documents, handed to the simulator as they are. */
  readonly identityPolicies: readonly unknown[];
  readonly resourcePolicy?: unknown;
}

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied" | "Error";

export interface SimulationOutcome {
  readonly decision: Decision;
  readonly message?: string;
}

export async function simulate(original: SimulatedRequest): Promise<SimulationOutcome> {
  const request = hasColonContextKeys(original.context)
    ? {
        ...original,
        identityPolicies: original.identityPolicies.map((p) => resolveColonContextKeys(p, original.context)),
        resourcePolicy: original.resourcePolicy && resolveColonContextKeys(original.resourcePolicy, original.context),
      }
    : original;
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { ...request.context },
      },
      identityPolicies: request.identityPolicies.map((policy, i) => ({ name: `policy${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    { simulationMode: "Strict" },
  );
  if (result.resultType === "error") return { decision: "Error", message: result.errors.message };
  return { decision: result.overallResult };
}
