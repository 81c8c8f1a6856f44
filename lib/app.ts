import { App, type TerraformStack } from "cdktf";
import { DestinationStack } from "../stacks/destination-stack";
import { ReplicationStack } from "../stacks/replication-stack";
import { StateBootstrapStack } from "../stacks/state-bootstrap-stack";
import type { Model } from "./config/model";

/**
 * The cdktf app for a validated model: one stack per source bucket, one per destination bucket
 * that several sources share, and the state bucket's bootstrap stack when asked for. Stacks that replicate between buckets another stack manages
 * depend on it, so `cdktf deploy '*'` applies them in a working order.
 */
export function buildApp(model: Model, outdir?: string): App {
  // No stack traces in construct metadata: they cost a quarter of synth time at 500 stacks.
  const app = new App({ outdir, stackTraces: false });
  if (model.stateBootstrap) new StateBootstrapStack(app, model.stateBootstrap, model);
  const stacks = new Map<string, TerraformStack>([
    ...model.sharedDestinations.map((d): [string, TerraformStack] => [
      d.stackName,
      new DestinationStack(app, d, model),
    ]),
    ...model.replications.map((r): [string, TerraformStack] => [r.stackName, new ReplicationStack(app, r, model)]),
  ]);
  for (const replication of model.replications) {
    const stack = stacks.get(replication.stackName) as TerraformStack;
    for (const name of replication.dependsOnStacks) stack.addDependency(stacks.get(name) as TerraformStack);
  }
  return app;
}
