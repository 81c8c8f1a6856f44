/**
 * The endpoints Terraform will send a config's requests to. `npm run plan`, `apply` and `adopt`
 * run Terraform with the operator's environment, and the AWS provider reads the same standard
 * endpoint settings as the AWS SDKs (AWS_ENDPOINT_URL[_<SERVICE>], a profile's endpoint_url and
 * services section), for the profile of each provider and of the S3 state backend.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import type { Model } from "../config/model";
import { profileOf } from "./aws-clients";
import { configuredEndpoints, endpointNotices, loadSharedConfig } from "./endpoints";

function profilesOf(model: Model, env: NodeJS.ProcessEnv): string[] {
  const accounts = [
    ...model.replications.flatMap((r) => [r.source.account, ...r.destinations.map((d) => d.account)]),
    ...model.sharedDestinations.map((d) => d.destination.account),
    ...(model.stateBootstrap ? [model.stateBootstrap.account] : []),
  ];
  const backend = model.backend.type === "s3" ? [{ credentials: model.backend.credentials ?? {} }] : [];
  return [...accounts, ...backend].map((a) => profileOf(a, env));
}

/**
 * Refuses a plain-http endpoint that is not a loopback address (EndpointError), and says once per
 * endpoint where requests go that is not AWS.
 */
export async function announceTerraformEndpoints(
  model: Model,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<void> {
  const notice = endpointNotices(warn);
  for (const endpoint of configuredEndpoints(env, await loadSharedConfig(env), profilesOf(model, env))) {
    notice(endpoint);
  }
}
