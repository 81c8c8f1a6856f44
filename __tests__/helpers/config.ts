import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { validateConfig } from "../../lib/config/loader";
import type { Model } from "../../lib/config/model";
import type { ConfigInput } from "../../lib/config/schema";
import { ReplicationStack } from "../../stacks/replication-stack";

/** The guide's setup: one source bucket, one destination bucket in another account. */
export function guideConfig(): ConfigInput {
  return {
    backend: { type: "s3", bucket: "my-terraform-state", region: "us-east-1" },
    accounts: {
      source: { accountId: "111122223333", region: "us-east-1", credentials: { profile: "source-account-profile" } },
      backup: {
        accountId: "444455556666",
        region: "us-west-2",
        credentials: { profile: "destination-account-profile" },
      },
    },
    replications: [
      {
        source: { account: "source", bucket: "my-app-data-prod" },
        rules: [
          {
            id: "CrossAccountReplicationRule",
            priority: 1,
            deleteMarkerReplication: true,
            destination: { account: "backup", bucket: "my-app-data-backup" },
          },
        ],
      },
    ],
  };
}

/** A config edited by `edit`, on a fresh copy of the guide's setup. */
export function configWith(edit: (config: ConfigInput) => void): ConfigInput {
  const config = guideConfig();
  edit(config);
  return config;
}

export function modelOf(config: ConfigInput): Model {
  return validateConfig(config, "test.json");
}

export interface SynthesizedStack {
  /** The stack's Terraform JSON, as text (for cdktf's matchers). */
  readonly text: string;
  /** The same, parsed. */
  readonly json: TerraformJson;
}

export interface TerraformJson {
  readonly terraform: { backend: Record<string, Record<string, unknown>> };
  readonly provider: { aws: Array<Record<string, unknown>> };
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown; description?: string }>;
  /** The existing-policy guards: check name -> its scoped data source and assertions. */
  readonly check?: Record<string, { data: { aws_s3_bucket_policy: Record<string, Record<string, string>> } }>;
}

/** Synthesizes the first replication of `config` as one stack. */
export function synthStack(config: ConfigInput, index = 0): SynthesizedStack {
  const model = modelOf(config);
  const app = Testing.app();
  const stack = new ReplicationStack(app, model.replications[index], model);
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) };
}

/** A resource of the synthesized stack by Terraform address, e.g. "aws_iam_role.replication". */
export function resourceAt(json: TerraformJson, address: string): Record<string, unknown> {
  const [type, name] = address.split(".");
  const resource = json.resource[type]?.[name];
  if (!resource) throw new Error(`no resource ${address}; have: ${addresses(json).join(", ")}`);
  return resource;
}

export function addresses(json: TerraformJson): string[] {
  return Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
}

/** A policy attribute parsed back into a document. */
export function policyAt(json: TerraformJson, address: string, attribute = "policy"): PolicyJson {
  return JSON.parse(resourceAt(json, address)[attribute] as string);
}

export interface PolicyJson {
  Version: string;
  Statement: Array<{
    Sid?: string;
    Effect: string;
    Principal?: Record<string, string | string[]>;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string>>;
  }>;
}

export function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every action a policy allows on a resource pattern (exact match on the resource text). */
export function allowedActions(policy: PolicyJson, resource: string): string[] {
  return policy.Statement.filter((s) => s.Effect === "Allow" && list(s.Resource).includes(resource)).flatMap((s) =>
    list(s.Action),
  );
}

/** The problems a bad config produces, as "path: message" lines. */
export function problemsOf(config: unknown): string[] {
  try {
    validateConfig(config, "test.json");
  } catch (error) {
    return (error as Error).message
      .split("\n")
      .slice(1)
      .map((line) => line.replace(/^ {2}- /, ""));
  }
  throw new Error("expected the config to be rejected");
}

/** A ready example config from examples/, as data. */
export function exampleConfig(name: string): ConfigInput {
  return JSON.parse(readFileSync(join(__dirname, "../../examples", `${name}.json`), "utf8"));
}

/** The guide's setup with a second source bucket of the same account, in one per-account stack. */
export function perAccountConfig(): ConfigInput {
  return configWith((config) => {
    config.stackLayout = "per-account";
    config.replications.push({
      source: { account: "source", bucket: "my-app-logs-prod" },
      rules: [
        {
          id: "LogsRule",
          priority: 1,
          deleteMarkerReplication: true,
          destination: { account: "backup", bucket: "my-app-logs-backup" },
        },
      ],
    });
  });
}
