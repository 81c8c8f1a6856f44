/**
 * The emulated world a config expects before anything is applied: one emulator account per AWS
 * account, the AWS CLI profiles the config names, the buckets that must already exist (with
 * Object Lock and ownership as declared, a seed object each, and a pre-existing policy on each
 * destination), existing KMS keys with the statement their owner was asked to add, the roles
 * pipelines assume, and the Terraform state bucket.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Model } from "../../lib/config/model";
import { type Emulator, fixture } from "./emulator";

/** The identity pipelines start from (GitHub's OIDC role, say) before assuming roles. */
export const PIPELINE_ACCOUNT = "210987654321";
export const SEED_KEY = "e2e-seed/existing-object.txt";
export const PREEXISTING_SID = "PreExistingStatement";
/**
 * The whole policy of every existing KMS key a config names, as its owner keeps it: AWS's default
 * key policy ("Enable IAM User Permissions"), and on an existing replica key the statement its
 * owner wrote from docs/features.md's instructions (SSE-KMS objects), in the owner's own words: another
 * Sid and action order than what synth prints, so doctor's key-policy check must read the meaning.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export const EXISTING_KEY_POLICIES = join(__dirname, "existing-key-policies.json");

export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface RawCredentials {
  readonly profile?: string;
  readonly roleArn?: string;
}

/** The parts of the config file the world needs beyond the model: who logs in how. */
export interface RawConfig {
  readonly backend: { type: string; bucket?: string; region?: string; credentials?: RawCredentials };
  readonly accounts: Record<string, { accountId: string; region: string; credentials?: RawCredentials }>;
}

export interface SeededBucket {
  readonly account: string;
  readonly region: string;
  readonly bucket: string;
  readonly objectLock: boolean;
  readonly objectOwnership?: string;
  readonly objects: Record<string, string>;
  readonly policy?: string;
}

export interface World {
  readonly emulator: Emulator;
  /** Access keys by account id. */
  readonly keys: ReadonlyMap<string, AccessKey>;
  /** Profile name -> account id. */
  readonly profiles: ReadonlyMap<string, string>;
  readonly buckets: readonly SeededBucket[];
  /** Environment for terraform, synth and the ops CLI: the emulator and these profiles only. */
  readonly env: NodeJS.ProcessEnv;
  /** Regions used per account, for read-back. */
  readonly regions: ReadonlyMap<string, ReadonlySet<string>>;
}

const accountOfArn = (arn: string) => arn.split(":")[4];

/** A pre-existing statement a destination bucket had before the stack: the apply replaces it. */
export function preexistingPolicy(bucket: string, accountId: string, partition: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: PREEXISTING_SID,
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "s3:GetObject",
        Resource: `arn:${partition}:s3:::${bucket}/*`,
      },
    ],
  });
}

function profilesOf(raw: RawConfig, model: Model): Map<string, string> {
  const profiles = new Map<string, string>();
  for (const account of Object.values(raw.accounts)) {
    const profile = account.credentials?.profile;
    if (profile && !profiles.has(profile)) profiles.set(profile, account.accountId);
  }
  const backendProfile = raw.backend.credentials?.profile;
  if (backendProfile && !profiles.has(backendProfile)) {
    profiles.set(backendProfile, model.stateBootstrap?.account.accountId ?? Object.values(raw.accounts)[0].accountId);
  }
  return profiles;
}

/** The account that holds the state bucket: the bootstrap's, the backend role's, or its profile's. */
function stateAccount(raw: RawConfig, model: Model, profiles: Map<string, string>): string {
  if (model.stateBootstrap) return model.stateBootstrap.account.accountId;
  const { credentials } = raw.backend;
  if (credentials?.roleArn) return accountOfArn(credentials.roleArn);
  if (credentials?.profile) return profiles.get(credentials.profile) as string;
  return PIPELINE_ACCOUNT;
}

function bucketsOf(raw: RawConfig, model: Model, profiles: Map<string, string>): SeededBucket[] {
  const buckets = new Map<string, SeededBucket>();
  const destinations = new Set(model.replications.flatMap((r) => r.destinations.map((d) => d.bucket)));
  for (const r of model.replications) {
    for (const b of [r.source, ...r.destinations]) {
      if (b.create || buckets.has(b.bucket)) continue;
      buckets.set(b.bucket, {
        account: b.account.accountId,
        region: b.region,
        bucket: b.bucket,
        objectLock: b.objectLock,
        objectOwnership: b.objectOwnership,
        objects: { [SEED_KEY]: `existed before replication: ${b.bucket}` },
        policy: destinations.has(b.bucket) ? preexistingPolicy(b.bucket, b.account.accountId, b.partition) : undefined,
      });
    }
    const report = r.batch.reportBucket;
    if (!buckets.has(report) && !r.managedBuckets.some((m) => m.location.bucket === report)) {
      buckets.set(report, {
        account: r.source.account.accountId,
        region: r.source.region,
        bucket: report,
        objectLock: false,
        objects: {},
      });
    }
  }
  if (raw.backend.type === "s3" && !model.stateBootstrap && raw.backend.bucket && raw.backend.region) {
    buckets.set(raw.backend.bucket, {
      account: stateAccount(raw, model, profiles),
      region: raw.backend.region,
      bucket: raw.backend.bucket,
      objectLock: false,
      objects: {},
    });
  }
  return [...buckets.values()];
}

/** Existing KMS keys the config names, with the key policy their owners keep (EXISTING_KEY_POLICIES). */
function keysOf(model: Model) {
  const policies = JSON.parse(readFileSync(EXISTING_KEY_POLICIES, "utf8")) as Record<string, unknown>;
  const arns = new Set(
    model.replications.flatMap((r) => [
      ...r.source.sseKmsKeyArns,
      ...r.rules.flatMap((rule) =>
        rule.destination.replicaKms?.kind === "existing" ? [rule.destination.replicaKms.keyArn] : [],
      ),
    ]),
  );
  return [...arns].map((arn) => {
    const policy = policies[arn];
    if (!policy) throw new Error(`${EXISTING_KEY_POLICIES} has no policy for the existing key ${arn}: add it`);
    const [, , , region, account, resource] = arn.split(":");
    return { account, region, keyId: resource.replace(/^key\//, ""), policy: JSON.stringify(policy) };
  });
}

function iniFiles(dir: string, profiles: Map<string, string>, keys: Map<string, AccessKey>) {
  const config: string[] = ["[default]", "region = us-east-1", ""];
  const pipeline = keys.get(PIPELINE_ACCOUNT) as AccessKey;
  const credentials: string[] = [
    "[default]",
    `aws_access_key_id = ${pipeline.accessKeyId}`,
    `aws_secret_access_key = ${pipeline.secretAccessKey}`,
    "",
  ];
  for (const [profile, account] of profiles) {
    const key = keys.get(account) as AccessKey;
    config.push(`[profile ${profile}]`, "region = us-east-1", "");
    credentials.push(
      `[${profile}]`,
      `aws_access_key_id = ${key.accessKeyId}`,
      `aws_secret_access_key = ${key.secretAccessKey}`,
      "",
    );
  }
  writeFileSync(join(dir, "aws-config"), config.join("\n"));
  writeFileSync(join(dir, "aws-credentials"), credentials.join("\n"));
}

/**
 * The environment every command of the test runs with: the emulator for every AWS client
 * (provider, S3 backend, AWS SDK), these profiles, and no credentials from the machine.
 */
export function emulatorEnv(dir: string, endpoint: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|TF_)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: join(dir, "aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    TF_CLI_CONFIG_FILE: join(dir, "terraformrc"),
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Makes the accounts, writes the profiles and seeds what the config expects to exist. */
export async function buildWorld(emulator: Emulator, dir: string, raw: RawConfig, model: Model): Promise<World> {
  const profiles = profilesOf(raw, model);
  const roles = [
    ...Object.values(raw.accounts).map((a) => a.credentials?.roleArn),
    raw.backend.credentials?.roleArn,
  ].filter((arn): arn is string => Boolean(arn));
  const buckets = bucketsOf(raw, model, profiles);
  const keys = keysOf(model);
  const accountIds = new Set([
    PIPELINE_ACCOUNT,
    ...Object.values(raw.accounts).map((a) => a.accountId),
    ...roles.map(accountOfArn),
    ...buckets.map((b) => b.account),
    ...keys.map((k) => k.account),
  ]);
  const created = await fixture<Record<string, AccessKey>>(emulator, "accounts", { accounts: [...accountIds] });
  const accessKeys = new Map(Object.entries(created));
  await fixture(emulator, "seed", {
    credentials: created,
    buckets,
    keys,
    roles: roles.map((arn) => ({
      account: accountOfArn(arn),
      name: arn.split("/").slice(-1)[0],
      trustPolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PIPELINE_ACCOUNT}:root` }, Action: "sts:AssumeRole" },
        ],
      }),
    })),
  });
  iniFiles(dir, profiles, accessKeys);
  const regions = new Map<string, Set<string>>();
  const addRegion = (account: string, region: string) =>
    regions.set(account, new Set([...(regions.get(account) ?? []), region]));
  for (const a of Object.values(raw.accounts)) addRegion(a.accountId, a.region);
  for (const b of buckets) addRegion(b.account, b.region);
  for (const k of keys) addRegion(k.account, k.region);
  for (const r of model.replications) {
    for (const b of [r.source, ...r.destinations]) addRegion(b.account.accountId, b.region);
  }
  return { emulator, keys: accessKeys, profiles, buckets, env: emulatorEnv(dir, emulator.endpoint), regions };
}
