import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { BINDINGS_PROVIDER_VERSION } from "../../lib/config/provider-version";
import { StateBootstrapStack } from "../../stacks/state-bootstrap-stack";
import { configWith, guideConfig, modelOf, synthStack } from "../helpers/config";
import { synthRun, writeConfig } from "../helpers/synth-run";

const [major, minor] = BINDINGS_PROVIDER_VERSION.split(".");
const WIDER = `~> ${major}.${minor}`;

function withBootstrap(awsProviderVersion?: string) {
  return configWith((c) => {
    c.backend = { type: "s3", bucket: "my-terraform-state", region: "us-east-1", bootstrap: { account: "source" } };
    c.awsProviderVersion = awsProviderVersion;
  });
}

function bootstrapRequirement(awsProviderVersion?: string): unknown {
  const model = modelOf(withBootstrap(awsProviderVersion));
  const stack = new StateBootstrapStack(
    Testing.app(),
    model.stateBootstrap as NonNullable<typeof model.stateBootstrap>,
    model,
  );
  return JSON.parse(Testing.synth(stack)).terraform.required_providers.aws;
}

describe("AWS provider version the stacks require", () => {
  test("is by default exactly the release the bindings were generated from", () => {
    const { json } = synthStack(guideConfig());
    expect((json.terraform as Record<string, any>).required_providers.aws.version).toBe(BINDINGS_PROVIDER_VERSION);
    expect(bootstrapRequirement()).toMatchObject({ version: BINDINGS_PROVIDER_VERSION });
  });

  test("is the config's constraint in every stack, with the provider source unchanged", () => {
    const { json } = synthStack(configWith((c) => (c.awsProviderVersion = WIDER)));
    const defaultSource = (synthStack(guideConfig()).json.terraform as Record<string, any>).required_providers.aws
      .source;
    expect((json.terraform as Record<string, any>).required_providers.aws).toEqual({
      source: defaultSource,
      version: WIDER,
    });
    expect(bootstrapRequirement(WIDER)).toEqual({ source: defaultSource, version: WIDER });
  });

  test.each(readdirSync(join(process.cwd(), "examples")).filter((f) => f.endsWith(".json")))(
    "%s: every stack of the app requires the config's constraint",
    (file) => {
      const config = JSON.parse(readFileSync(join(process.cwd(), "examples", file), "utf8"));
      const run = synthRun(writeConfig({ ...config, $schema: undefined, awsProviderVersion: WIDER }));
      expect(run.stderr).toEqual([]);
      const stacks = readdirSync(join(run.outdir, "stacks"));
      expect(stacks.length).toBeGreaterThan(0);
      for (const stack of stacks) {
        const json = JSON.parse(readFileSync(join(run.outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
        expect([stack, json.terraform.required_providers.aws.version]).toEqual([stack, WIDER]);
      }
    },
  );
});
