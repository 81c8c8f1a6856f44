/**
 * The shape of `replication.config.json`. Field-level rules live here; rules that relate one
 * field to another (references, duplicates, impossible combinations) are in `semantic-checks.ts`.
 * `replication.schema.json` is generated from this file (`npm run schema`), so editors get the
 * same descriptions and a test keeps the two in sync.
 */
import { z } from "zod";
import { PARTITIONS } from "../regions";
import { awsProviderVersionSchema } from "./provider-version";

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** A stack name of the config's own: `replication-<name>` must stay a short, plain directory and state key name. */
const STACK_NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (Path)
const IAM_PATH = /^\/([\x21-\x7f]+\/)?$/;
/** Names that are properties of every JavaScript object: as keys they would read inherited values. */
const RESERVED_NAMES = new Set(["constructor", "prototype", "__proto__"]);
/** S3 accepts priorities up to the largest 32-bit signed integer. */
export const MAX_PRIORITY = 2 ** 31 - 1;

/**
 * AWS's rule for tag keys and values, for resource tags and S3 object tags alike; keys starting
 * with "aws:" are reserved.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3Tag.html
 */
// Spaces (Zs), not line or paragraph separators: a tag value is shown on one line to reviewers.
const TAG_TEXT = /^[\p{L}\p{Zs}\p{N}_.:/=+\-@]*$/u;
const TAG_TEXT_ERROR = "may hold only letters, digits, spaces and _ . : / = + - @ (AWS's rule for tags)";
const tagMap = z.record(
  z
    .string()
    .min(1)
    .max(128)
    .regex(TAG_TEXT, { error: TAG_TEXT_ERROR })
    .refine((key) => !key.toLowerCase().startsWith("aws:"), { error: '"aws:" is reserved for AWS\'s own tags' }),
  z.string().max(256).regex(TAG_TEXT, { error: TAG_TEXT_ERROR }),
);

/** A Region code in one of the partitions (see regions.ts); unlisted Regions get a warning later. */
const REGION = new RegExp(PARTITIONS.map((p) => p.pattern.source).join("|"));

function regionCode(example: string) {
  return z.string().regex(REGION, {
    error: `must be an AWS Region code like "${example}", in one of the partitions ${PARTITIONS.map((p) => p.id).join(", ")}`,
  });
}

const accountName = z
  .string()
  .regex(NAME, {
    error: "must be a short name: a lowercase letter, then lowercase letters, digits or hyphens",
  })
  .refine((name) => !RESERVED_NAMES.has(name), {
    error: "is a name every JavaScript object already has: choose another account name",
  })
  .describe('The key of an entry in "accounts".');

const bucketName = z
  .string()
  .describe("An S3 bucket name: an existing bucket, unless `create` is true (this project never deletes buckets).");

export const credentialsSchema = z
  .strictObject({
    profile: z
      .string()
      .min(1)
      .optional()
      .describe("An AWS CLI profile (workstations). With roleArn, the credentials that assume it."),
    roleArn: z
      .string()
      .regex(ROLE_ARN, { error: "must be an IAM role ARN like arn:aws:iam::111122223333:role/name" })
      .optional()
      .describe("A role to assume in this account (pipelines)."),
    sessionName: z.string().min(2).max(64).optional().describe("The assumed-role session name."),
    externalId: z.string().min(2).max(1224).optional().describe("The external id the role's trust policy asks for."),
  })
  .describe(
    'Where Terraform gets credentials for this account: "profile", "roleArn", or both; at least one of them (in a pipeline, `REPLICATION_ROLE_ARNS` can name the role instead).',
  );

export const accountSchema = z
  .strictObject({
    accountId: z
      .string()
      .regex(ACCOUNT_ID, { error: 'must be a 12-digit AWS account id in quotes, like "111122223333"' })
      .describe("The 12-digit AWS account id, as a string. The provider refuses any other account."),
    region: regionCode("us-east-1").describe("The Region of this account's buckets, unless a bucket names its own."),
    credentials: credentialsSchema.optional(),
  })
  .describe("An AWS account taking part in replication.");

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

const kmsKeyArn = z.string().regex(KMS_KEY_ARN, {
  error:
    "must be a KMS key ARN like arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias: S3 resolves aliases in the caller's account)",
});

const region = regionCode("us-west-2");

/** What every mention of a bucket can say about it; every mention of one bucket must agree. */
const bucketFields = {
  account: accountName,
  bucket: bucketName,
  region: region.optional().describe("The bucket's Region.\n@default the account's `region`"),
  create: z
    .boolean()
    .optional()
    .describe(
      "Create the bucket in this stack (versioning, public access block, BucketOwnerEnforced, default encryption, TLS-only policy, prevent_destroy).\n@default false: the bucket exists\n@see docs/features.md#buckets-the-stack-creates",
    ),
  objectLock: z
    .boolean()
    .optional()
    .describe(
      "The bucket has S3 Object Lock enabled (or, with create, is created with it).\n@default false\n@see docs/features.md#object-lock",
    ),
  objectOwnership: z
    .enum(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"])
    .optional()
    .describe(
      "The existing bucket's Object Ownership setting, when you want it taken into account. BucketOwnerEnforced makes the bucket own every replica, so owner override is not used.\n@default not declared; created buckets are BucketOwnerEnforced\n@see docs/features.md#object-ownership",
    ),
  bucketKeyEnabled: z
    .boolean()
    .optional()
    .describe(
      "The bucket uses S3 Bucket Keys for SSE-KMS: KMS then sees the bucket ARN, not the object ARN, as encryption context.\n@default false\n@see docs/features.md#sse-kms-objects",
    ),
};

export const STORAGE_CLASSES = [
  "STANDARD",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
  "REDUCED_REDUNDANCY",
] as const;

export const replicaKmsSchema = z
  .strictObject({
    keyArn: kmsKeyArn
      .optional()
      .describe(
        "An existing customer managed key in the destination Region, by its full key ARN, not an alias. Its owner must allow the replication role (synth prints the statement).",
      ),
    create: z
      .boolean()
      .optional()
      .describe(
        "`true`: the stack creates the key in the destination account, with rotation on, an alias and a key policy that allows the replication role.",
      ),
    alias: z
      .string()
      .regex(/^alias\/[A-Za-z0-9/_-]+$/, { error: 'must look like "alias/name"' })
      .refine((a) => !a.startsWith("alias/aws/"), { error: '"alias/aws/" is reserved for AWS managed keys' })
      .optional()
      .describe(
        "The alias of a created key; unique per account and Region.\n@default `alias/s3-replica-<destination-bucket>` (dots become dashes)",
      ),
  })
  .describe(
    "The KMS key S3 encrypts SSE-KMS replicas with: keyArn, or create. Required with replicateSseKms.\n@see docs/features.md#sse-kms-objects",
  );

const destinationSchema = z
  .strictObject({
    ...bucketFields,
    storageClass: z
      .enum(STORAGE_CLASSES)
      .optional()
      .describe(
        "The storage class of replicas.\n@default the source object's storage class\n@see docs/features.md#replica-storage-class",
      ),
    replicaKms: replicaKmsSchema.optional(),
  })
  .describe(
    "The destination bucket and the account that owns it. Every mention of one bucket must describe it the same way.",
  );

export const sourceSchema = z
  .strictObject({
    ...bucketFields,
    sseKmsKeyArns: z
      .array(kmsKeyArn)
      .optional()
      .describe(
        "The KMS keys that encrypt source objects: the role may decrypt with them, through S3 only.\n@see docs/features.md#sse-kms-objects",
      ),
  })
  .describe("The source bucket and the account that owns it.");

export const filterSchema = z
  .strictObject({
    prefix: z.string().max(1024).optional().describe('Replicate only keys that start with this prefix, e.g. "logs/".'),
    tags: tagMap.optional().describe('Replicate only objects carrying all of these tags, `{ "key": "value" }`.'),
  })
  .describe("Which objects the rule replicates. Empty or absent: the whole bucket.");

export const ruleSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(255)
      .describe("The rule id, unique in this source bucket (the guide: CrossAccountReplicationRule)."),
    priority: z
      .number()
      .int({ error: "must be a whole number" })
      .min(0)
      .max(MAX_PRIORITY, { error: `must be at most ${MAX_PRIORITY} (2^31-1), the largest priority S3 accepts` })
      .describe(
        "A whole number from 0 to 2,147,483,647, unique per source bucket; when rules overlap, the higher number wins.",
      ),
    enabled: z.boolean().default(true).describe("Rule status: `false` writes the rule as `Disabled`.\n@default true"),
    filter: filterSchema.optional(),
    deleteMarkerReplication: z
      .boolean()
      .default(false)
      .describe(
        "Replicate delete markers. S3 rejects it with a tag filter.\n@default false (S3's own default for filtered rules)",
      ),
    replicateSseKms: z
      .boolean()
      .default(false)
      .describe(
        "Replicate SSE-KMS encrypted objects (S3 skips them otherwise). Needs source.sseKmsKeyArns and destination.replicaKms.\n@default false",
      ),
    replicaModifications: z
      .boolean()
      .default(false)
      .describe(
        "Sync metadata changes made on replicas back (two-way replication): set it on the rules of both directions.\n@default false\n@see docs/features.md#two-way-replication",
      ),
    replicationTime: z
      .strictObject({
        minutes: z
          .number()
          .default(15)
          .describe("S3 Replication Time Control's threshold: 15 is the only value S3 accepts.\n@default 15"),
      })
      .optional()
      .describe(
        "S3 Replication Time Control (RTC): replicate 99.99% of objects within 15 minutes; turns metrics on.\n@see docs/features.md#replication-time-control-and-alarms",
      ),
    metrics: z
      .boolean()
      .optional()
      .describe(
        "Replication metrics and events (threshold 15 minutes).\n@default true with replicationTime, else false",
      ),
    destination: destinationSchema,
    replicaOwner: z
      .enum(["destination", "source"])
      .default("destination")
      .describe(
        '"destination": replicas belong to the destination account (owner override, not written between buckets of one account), as the guide insists. "source": replicas keep the source owner.\n@default "destination"',
      ),
  })
  .describe("One replication rule.");

export const policyStatementSchema = z
  .looseObject({
    Sid: z
      .string()
      .regex(/^[A-Za-z0-9]*$/, { error: "may hold only letters and digits" })
      .optional(),
    Effect: z.enum(["Allow", "Deny"]),
  })
  .describe("An IAM policy statement, kept verbatim.");

export const roleSchema = z
  .strictObject({
    name: z
      .string()
      .regex(IAM_NAME, { error: "must be 1 to 64 letters, digits or +=,.@_-" })
      .optional()
      .describe(
        "The replication role's name.\n@default `s3-replication-<source-bucket>` (shortened with a hash past 64 characters)",
      ),
    path: z
      .string()
      .max(512, { error: "must be at most 512 characters (IAM's limit for a path)" })
      .regex(IAM_PATH, {
        error:
          'must start and end with "/", like "/" or "/replication/", with printable ASCII characters and no space in between',
      })
      .default("/")
      .describe(
        "The role's IAM path; it is part of the role ARN the bucket policy names. At most 512 characters, printable ASCII without spaces.\n@default /",
      ),
    permissionsBoundary: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/, {
        error: "must be an IAM managed policy ARN like arn:aws:iam::111122223333:policy/boundary",
      })
      .optional()
      .describe("A permissions boundary policy ARN for the role, where the organization requires one.\n@default none"),
    restrictTrustToSourceBucket: z
      .boolean()
      .default(false)
      .describe(
        "Opt-in: add aws:SourceAccount and aws:SourceArn conditions to the trust policy. AWS's replication pages show no such conditions and do not say S3 satisfies them: test before relying on it.\n@default false\n@see docs/security.md#what-the-policies-grant-and-why",
      ),
  })
  .describe("The replication role S3 assumes in the source account.");

export const destinationPolicySchema = z
  .strictObject({
    additionalStatements: z
      .array(policyStatementSchema)
      .default([])
      .describe(
        "IAM statements the bucket policy keeps, verbatim, after the replication grant. The bucket policy resource owns the whole policy: anything not listed here is removed on apply.\n@see docs/plan-and-apply.md#what-the-first-apply-replaces",
      ),
    replaceExistingStatements: z
      .boolean()
      .default(false)
      .describe(
        "Replacing what the bucket's policy has today is intended: `npm run plan` then lists the statements the apply removes instead of refusing to plan.\n@default false: a plan that would remove a statement not in additionalStatements is refused\n@see docs/plan-and-apply.md#what-the-first-apply-replaces",
      ),
  })
  .describe("The destination bucket's policy.");

/** The project's default replication role names: `s3-replication-<source bucket>` (see naming.ts). */
export const DEFAULT_ROLE_NAME_PATTERN = "s3-replication-*";

/** Where each member account's id goes in organization mode's key prefix. */
export const ACCOUNT_PLACEHOLDER = "{account}";

/** AWS service logs (CloudTrail, S3 server access logs, ELB, ...) are written under AWSLogs/<account id>/. */
export const DEFAULT_ACCOUNT_KEY_PREFIX = `AWSLogs/${ACCOUNT_PLACEHOLDER}/`;

/** The text before the first wildcard of a role pattern, without the path separators. */
function fixedPart(pattern: string): string {
  return (pattern.split(/[*?]/)[0] ?? "").replaceAll("/", "");
}

export const sharedDestinationSchema = z
  .strictObject({
    organization: z
      .strictObject({
        id: z
          .string()
          .regex(/^o-[a-z0-9]{10,32}$/, { error: 'must be an AWS Organizations id like "o-a1b2c3d4e5"' })
          .describe(
            "The AWS Organizations id (`o-` then 10 to 32 lowercase letters or digits) whose accounts may replicate into this bucket (aws:PrincipalOrgID).",
          ),
        roleNamePattern: z
          .string()
          .regex(/^[\w+=,.@*/-]{1,128}$/, { error: "must be a role path and name pattern like s3-replication-*" })
          .refine((pattern) => fixedPart(pattern).length > 0, {
            error: (issue) =>
              `${JSON.stringify(issue.input)} starts with a wildcard, so every role of every member account matches it: start it with a fixed role name or path part that only your platform team may create roles under, like "${DEFAULT_ROLE_NAME_PATTERN}" or "log-replication/*"`,
          })
          .default(DEFAULT_ROLE_NAME_PATTERN)
          .describe(
            "The roles, in any member account, that may replicate (an aws:PrincipalArn pattern after role/). It must start with a fixed part (a role name or path), which an SCP can keep other principals from creating roles under.\n@default s3-replication-* (the project's default role names)",
          ),
        accountKeyPrefix: z
          .string()
          .max(512)
          .refine((prefix) => prefix.split(ACCOUNT_PLACEHOLDER).length === 2, {
            error: `must hold ${ACCOUNT_PLACEHOLDER} exactly once, where each member account's id goes, like "${DEFAULT_ACCOUNT_KEY_PREFIX}"`,
          })
          .refine((prefix) => /^[\u0020-\u00ff]*$/u.test(prefix), {
            error: "may hold only U+0020 to U+00FF: IAM policies, which name this prefix, hold no other characters",
          })
          .default(DEFAULT_ACCOUNT_KEY_PREFIX)
          .describe(
            `Each member account's part of the bucket: the bucket policy lets an account's role write (and delete-mark) only keys starting with this prefix, ${ACCOUNT_PLACEHOLDER} replaced by its account id, so no member can overwrite another's objects. Every listed source's rules into the bucket must have a prefix inside its own part.\n@default ${DEFAULT_ACCOUNT_KEY_PREFIX} (where AWS services write logs)\n@see docs/features.md#organization-wide-mode`,
          ),
      })
      .optional()
      .describe(
        "Organization-wide mode: the bucket policy and replica key policy grant every member account's replication role, so a new account can replicate without a change here. Each source still needs its own stack.",
      ),
    additionalStatements: z
      .array(policyStatementSchema)
      .default([])
      .describe(
        "Statements the shared bucket policy keeps, verbatim, besides the replication grants (a shared bucket refuses `destinationPolicies`). The bucket policy resource owns the whole policy: anything not listed here is removed on apply.",
      ),
    replaceExistingStatements: z
      .boolean()
      .default(false)
      .describe(
        "Replacing what the bucket's policy has today is intended: `npm run plan` then lists the statements the apply removes instead of refusing to plan.\n@default false: a plan that would remove a statement not in additionalStatements is refused\n@see docs/plan-and-apply.md#what-the-first-apply-replaces",
      ),
  })
  .describe("A destination bucket that several sources replicate into, owned by a destination stack of its own.");

/** How replications are grouped into Terraform roots (see lib/config/stack-units.ts). */
export const STACK_LAYOUTS = ["per-bucket", "per-account", "single"] as const;

export const stackLayoutSchema = z
  .enum(STACK_LAYOUTS)
  .default("per-bucket")
  .describe(
    'How replications are grouped into stacks (Terraform roots, each with its own state). "per-bucket": one stack per source bucket (`replication-<bucket>`), the smallest state and blast radius, and the largest fixed cost per bucket. "per-account": one stack per source account (`replication-account-<account>`). "single": one stack for the whole config (`replication-all`), holding the shared destinations too. A shared destination has its own stack (`replication-destination-<bucket>`) in the other layouts. `replications[].stack` overrides the layout for one replication. Changing the layout moves resources between state files: see the README, Moving between layouts.\n@default "per-bucket"',
  );

export const stackNameSchema = z
  .string()
  .regex(STACK_NAME, {
    error:
      'must be a lowercase letter, then at most 39 lowercase letters, digits or hyphens, not ending in a hyphen, like "logs-team"',
  })
  .describe(
    "The stack (Terraform root) that holds this replication, whatever the layout: `replication-<stack>`. Replications naming the same stack share it, so a team can draw its own boundary (its buckets, its state, its reviews). It must differ from every stack the layout names for other replications.\n@default - the layout decides (stackLayout)",
  );

export const replicationSchema = z
  .strictObject({
    source: sourceSchema,
    stack: stackNameSchema.optional(),
    role: roleSchema.default({ path: "/", restrictTrustToSourceBucket: false }),
    rules: z
      .array(ruleSchema)
      .min(1, { error: "needs at least one rule" })
      .max(1000)
      .describe("The replication rules of this source bucket: 1 to 1,000."),
    monitoring: z
      .strictObject({
        latencyThresholdSeconds: z
          .number()
          .int()
          .positive()
          .default(900)
          .describe("Alarm when ReplicationLatency exceeds this many seconds.\n@default 900 (RTC's 15 minutes)"),
        snsTopicArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, { error: "must be an SNS topic ARN" })
          .optional()
          .describe(
            "Notify this existing topic instead of a created one.\n@default a topic created in the source account",
          ),
        email: z
          .string()
          .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: "must be an email address" })
          .optional()
          .describe("Subscribe this address to the created topic (AWS mails a confirmation link)."),
      })
      .optional()
      .describe(
        "CloudWatch alarms in the source account on OperationsFailedReplication and ReplicationLatency for every rule with metrics, notifying SNS.\n@see docs/features.md#replication-time-control-and-alarms",
      ),
    batchReplication: z
      .strictObject({
        reportBucket: bucketName
          .optional()
          .describe(
            "Where Batch Replication completion reports go (a bucket in the source account).\n@default the source bucket",
          ),
        reportPrefix: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()/-]*$/, { error: "must be a plain S3 key prefix without spaces" })
          .default("batch-replication-reports/")
          .describe("Key prefix of the reports.\n@default batch-replication-reports/"),
      })
      .default({ reportPrefix: "batch-replication-reports/" })
      .describe("The S3 Batch Replication role and report location `npm run backfill` uses for existing objects."),
    replaceExistingRules: z
      .boolean()
      .default(false)
      .describe(
        "Replacing the source bucket's existing replication rules is intended: `npm run plan` then lists the rules the apply removes instead of refusing to plan.\n@default false: a plan that would remove a rule whose id is not in rules is refused",
      ),
    destinationPolicies: z
      .record(bucketName, destinationPolicySchema)
      .default({})
      .describe("Per destination bucket name: statements its bucket policy keeps."),
  })
  .describe("One source bucket and its rules, in the stack its layout (or `stack`) names.");

export const backendSchema = z
  .discriminatedUnion("type", [
    z
      .strictObject({
        type: z.literal("s3"),
        bucket: bucketName.describe(
          "The S3 bucket that holds Terraform state: an existing one, or the one the bootstrap stack creates.",
        ),
        region: regionCode("us-east-1").describe("The state bucket's Region."),
        keyPrefix: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()/-]+$/, { error: "must be a plain S3 key prefix without spaces" })
          .refine((p) => !p.startsWith("/") && !p.endsWith("/"), {
            error: 'must not start or end with "/": state keys are <keyPrefix>/<stack>/terraform.tfstate',
          })
          .refine(
            (p) =>
              !p
                .replace(/^\/|\/$/g, "")
                .split("/")
                .some((segment) => segment === "" || segment === "." || segment === ".."),
            {
              error:
                'must not hold an empty, "." or ".." segment: S3 keeps them literally, so the state key is not where it looks',
            },
          )
          .default("s3-replication")
          .describe(
            'State keys are <keyPrefix>/<stack>/terraform.tfstate. No leading or trailing "/", no empty, "." or ".." segment.\n@default s3-replication',
          ),
        credentials: credentialsSchema
          .optional()
          .describe(
            "Credentials for the state bucket, as for an account. Without them, Terraform's default credential chain (AWS_PROFILE, environment, instance role).",
          ),
        bootstrap: z
          .strictObject({
            account: accountName.describe("The account (a key of accounts) that holds the state bucket."),
          })
          .optional()
          .describe(
            "Also synthesize the stack `replication-state-bootstrap`, which creates the state bucket. Deploy it first, once.\n@see docs/features.md#state-bucket-bootstrap",
          ),
      })
      .describe("Remote state in S3 with S3-native locking (use_lockfile, Terraform 1.10 or later)."),
    z
      .strictObject({ type: z.literal("local") })
      .describe("State files in the project root (terraform.<stack>.tfstate): for trying it out only."),
  ])
  .describe("Where Terraform keeps state for each stack.");

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe("The path to replication.schema.json, for editors."),
    backend: backendSchema,
    accounts: z
      .record(accountName, accountSchema)
      .refine((accounts) => Object.keys(accounts).length > 0, { error: "needs at least one account" })
      .describe("The AWS accounts, by a short name of your choice that rules refer to (lowercase, digits, hyphens)."),
    tags: tagMap
      .default({})
      .describe("Extra default tags for every taggable resource; `managed-by` and `replication-stack` are always set."),
    awsProviderVersion: awsProviderVersionSchema.optional(),
    stackLayout: stackLayoutSchema,
    replications: z.array(replicationSchema).min(1, { error: "needs at least one source bucket" }),
    sharedDestinations: z
      .record(bucketName, sharedDestinationSchema)
      .default({})
      .describe(
        "Per destination bucket name: settings of a bucket shared by several sources (a central log archive). A bucket that rules of more than one source name is shared whether or not it is listed here.\n@see docs/features.md#central-log-archive-many-sources-into-one-bucket",
      ),
  })
  .describe("S3 cross-account replication: accounts, a state backend, and one entry per source bucket.");

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type Credentials = z.output<typeof credentialsSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
export type ReplicationConfig = z.output<typeof replicationSchema>;
export type BackendConfig = z.output<typeof backendSchema>;
export type PolicyStatement = z.output<typeof policyStatementSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type DestinationConfig = z.output<typeof destinationSchema>;
export type SharedDestinationConfig = z.output<typeof sharedDestinationSchema>;
export type StorageClass = (typeof STORAGE_CLASSES)[number];
export type StackLayout = (typeof STACK_LAYOUTS)[number];
