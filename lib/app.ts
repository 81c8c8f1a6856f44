import { App, type TerraformStack } from "cdktf";
import { DestinationStack } from "../stacks/destination-stack";
import { GroupedStack } from "../stacks/grouped-stack";
import { ReplicationStack } from "../stacks/replication-stack";
import { StateBootstrapStack } from "../stacks/state-bootstrap-stack";
import type { Model, StackUnit } from "./config/model";

/** The stack class of a unit: a per-bucket replication or shared destination stack, or a grouped one. */
function stackOf(app: App, unit: StackUnit, model: Model): TerraformStack {
  if (unit.grouped) return new GroupedStack(app, unit, model);
  const [replication] = unit.replications;
  if (replication) return new ReplicationStack(app, replication, model);
  return new DestinationStack(app, unit.sharedDestinations[0], model);
}

/**
 * The cdktf app for a validated model: the stacks of model.stacks (one per source bucket and one
 * per shared destination in the per-bucket layout; fewer, grouped, in the others) and the state
 * bucket's bootstrap stack when asked for. A stack that uses buckets another stack manages depends
 * on it, so `cdktf deploy '*'` applies them in a working order.
 */
export function buildApp(model: Model, outdir?: string): App {
  // No stack traces in construct metadata: they cost a quarter of synth time at 500 stacks.
  const app = new App({ outdir, stackTraces: false });
  if (model.stateBootstrap) new StateBootstrapStack(app, model.stateBootstrap, model);
  const stacks = new Map<string, TerraformStack>();
  for (const unit of model.stacks) stacks.set(unit.name, stackOf(app, unit, model));
  for (const unit of model.stacks) {
    const stack = stacks.get(unit.name) as TerraformStack;
    for (const name of unit.dependsOn) stack.addDependency(stacks.get(name) as TerraformStack);
  }
  return app;
}
