import { App } from "cdktf";
import { ReplicationStack } from "../stacks/replication-stack";
import type { Model } from "./config/model";

/** The cdktf app for a validated model: one stack per source bucket. */
export function buildApp(model: Model, outdir?: string): App {
  const app = new App({ outdir, stackTraces: false });
  for (const replication of model.replications) {
    new ReplicationStack(app, replication, model);
  }
  return app;
}
