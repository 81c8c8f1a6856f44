// What the operator-permissions proof asks IAM for each recorded call: the mapping, checked on
// calls shaped as Terraform, the AWS SDK and the S3 backend send them.
import { cbor } from "@smithy/core/cbor";
import { IamRequestMapper, UnmappedCall } from "./iam-requests";
import type { ProxiedCall } from "./recording-proxy";

const SOURCE_KEY = "AKIASOURCE0000000001";
const BACKUP_KEY = "AKIABACKUP0000000001";

function call(
  method: string,
  path: string,
  options: {
    key?: string;
    region?: string;
    service: string;
    body?: string | Buffer;
    target?: string;
    response?: string;
  },
): ProxiedCall {
  const headers: ProxiedCall["headers"] = {
    authorization: `AWS4-HMAC-SHA256 Credential=${options.key ?? SOURCE_KEY}/20260801/${options.region ?? "us-east-1"}/${options.service}/aws4_request, SignedHeaders=host, Signature=0`,
    ...(options.target ? { "x-amz-target": options.target } : {}),
  };
  const body = typeof options.body === "string" ? Buffer.from(options.body) : (options.body ?? Buffer.alloc(0));
  return { method, path, headers, body, status: 200, response: options.response ?? "" };
}

const mapper = () =>
  new IamRequestMapper(
    new Map([
      [SOURCE_KEY, "111122223333"],
      [BACKUP_KEY, "444455556666"],
    ]),
  );

const brief = (requests: ReturnType<IamRequestMapper["map"]>) =>
  requests.map(({ accountId, action, resource, context }) => ({ accountId, action, resource, context }));

describe("recorded calls as IAM requests", () => {
  test("S3 bucket settings, the state objects and a replication configuration with its role", () => {
    const m = mapper();
    expect(
      [
        call("GET", "/my-app-data-backup/?ownershipControls=", { key: BACKUP_KEY, region: "us-west-2", service: "s3" }),
        call("GET", "/my-terraform-state?list-type=2&max-keys=1000&prefix=env%3A%2F", { service: "s3" }),
        call("HEAD", "/my-terraform-state/s3-replication/stack/terraform.tfstate", { service: "s3" }),
        call("DELETE", "/my-terraform-state/s3-replication/stack/terraform.tfstate.tflock", { service: "s3" }),
        call("PUT", "/my-app-data-prod?replication=", {
          service: "s3",
          body: "<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role></ReplicationConfiguration>",
        }),
      ].flatMap((c) => brief(m.map(c))),
    ).toEqual([
      {
        accountId: "444455556666",
        action: "s3:GetBucketOwnershipControls",
        resource: "arn:aws:s3:::my-app-data-backup",
        context: {},
      },
      { accountId: "111122223333", action: "s3:ListBucket", resource: "arn:aws:s3:::my-terraform-state", context: {} },
      {
        accountId: "111122223333",
        action: "s3:GetObject",
        resource: "arn:aws:s3:::my-terraform-state/s3-replication/stack/terraform.tfstate",
        context: {},
      },
      {
        accountId: "111122223333",
        action: "s3:DeleteObject",
        resource: "arn:aws:s3:::my-terraform-state/s3-replication/stack/terraform.tfstate.tflock",
        context: {},
      },
      {
        accountId: "111122223333",
        action: "s3:PutReplicationConfiguration",
        resource: "arn:aws:s3:::my-app-data-prod",
        context: {},
      },
      {
        accountId: "111122223333",
        action: "iam:PassRole",
        resource: "arn:aws:iam::111122223333:role/r",
        context: { "iam:PassedToService": "s3.amazonaws.com" },
      },
    ]);
  });

  test("a role created with a boundary and tags, then changed under that boundary", () => {
    const m = mapper();
    const created = m.map(
      call("POST", "/", {
        service: "iam",
        body: "Action=CreateRole&RoleName=r&Path=%2Fservice%2F&PermissionsBoundary=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fb&Tags.member.1.Key=team&Tags.member.1.Value=storage",
      }),
    );
    const changed = m.map(call("POST", "/", { service: "iam", body: "Action=PutRolePolicy&RoleName=r&PolicyName=p" }));
    const boundary = "arn:aws:iam::111122223333:policy/b";
    expect(brief([...created, ...changed])).toEqual([
      {
        accountId: "111122223333",
        action: "iam:CreateRole",
        resource: "arn:aws:iam::111122223333:role/service/r",
        context: { "iam:PermissionsBoundary": boundary, "aws:RequestTag/team": "storage", "aws:TagKeys": ["team"] },
      },
      {
        accountId: "111122223333",
        action: "iam:TagRole",
        resource: "arn:aws:iam::111122223333:role/service/r",
        context: { "aws:RequestTag/team": "storage", "aws:TagKeys": ["team"] },
      },
      {
        accountId: "111122223333",
        action: "iam:PutRolePolicy",
        resource: "arn:aws:iam::111122223333:role/service/r",
        context: { "iam:PermissionsBoundary": boundary },
      },
    ]);
  });

  test("a KMS key: created with tags, named by an alias, then administered by id", () => {
    const m = mapper();
    const at = { key: BACKUP_KEY, region: "us-west-2", service: "kms" };
    const arn = "arn:aws:kms:us-west-2:444455556666:key/k1";
    const requests = [
      call("POST", "/", {
        ...at,
        target: "TrentService.CreateKey",
        body: JSON.stringify({ Tags: [{ TagKey: "replication-stack", TagValue: "s" }] }),
        response: JSON.stringify({ KeyMetadata: { KeyId: "k1", Arn: arn } }),
      }),
      call("POST", "/", {
        ...at,
        target: "TrentService.CreateAlias",
        body: JSON.stringify({ AliasName: "alias/replicas", TargetKeyId: "k1" }),
      }),
      call("POST", "/", { ...at, target: "TrentService.PutKeyPolicy", body: JSON.stringify({ KeyId: "k1" }) }),
    ].flatMap((c) => brief(m.map(c)));
    const tagged = { "aws:ResourceTag/replication-stack": "s" };
    expect(requests).toEqual([
      {
        accountId: "444455556666",
        action: "kms:CreateKey",
        resource: "*",
        context: { "aws:RequestTag/replication-stack": "s", "aws:TagKeys": ["replication-stack"] },
      },
      {
        accountId: "444455556666",
        action: "kms:TagResource",
        resource: arn,
        context: { "aws:RequestTag/replication-stack": "s", "aws:TagKeys": ["replication-stack"] },
      },
      {
        accountId: "444455556666",
        action: "kms:CreateAlias",
        resource: "arn:aws:kms:us-west-2:444455556666:alias/replicas",
        context: {},
      },
      { accountId: "444455556666", action: "kms:CreateAlias", resource: arn, context: tagged },
      {
        accountId: "444455556666",
        action: "kms:PutKeyPolicy",
        resource: arn,
        context: { ...tagged, "kms:ResourceAliases": ["alias/replicas"] },
      },
    ]);
  });

  test("SNS subscriptions on their topic, CloudWatch in each of its protocols", () => {
    const m = mapper();
    const alarm = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:a1";
    const requests = [
      call("POST", "/", {
        service: "sns",
        body: "Action=GetSubscriptionAttributes&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A111122223333%3Atopic%3A0f1e",
      }),
      call("POST", "/", { service: "monitoring", body: "Action=DescribeAlarms&AlarmNames.member.1=a1" }),
      call("POST", "/", {
        service: "monitoring",
        target: "GraniteServiceVersion20100801.DescribeAlarms",
        body: JSON.stringify({ AlarmNames: ["a1"] }),
      }),
      call("POST", "/service/GraniteServiceVersion20100801/operation/DescribeAlarms", {
        service: "monitoring",
        body: Buffer.from(cbor.serialize({ AlarmNames: ["a1"] })),
      }),
    ].flatMap((c) => brief(m.map(c)));
    expect(requests).toEqual([
      {
        accountId: "111122223333",
        action: "sns:GetSubscriptionAttributes",
        resource: "arn:aws:sns:us-east-1:111122223333:topic",
        context: {},
      },
      ...[1, 2, 3].map(() => ({
        accountId: "111122223333",
        action: "cloudwatch:DescribeAlarms",
        resource: alarm,
        context: {},
      })),
    ]);
  });

  test("verify's reads: S3 Control's jobs, IAM's simulation of the role, CloudWatch's statistics", () => {
    const m = mapper();
    const job = call("GET", "/v20180820/jobs/5e1f", { service: "s3" });
    const requests = [
      call("GET", "/v20180820/jobs?maxResults=1000", { service: "s3" }),
      { ...job, headers: { ...job.headers, "x-amz-account-id": "111122223333" } },
      call("POST", "/", {
        service: "iam",
        body: "Action=SimulatePrincipalPolicy&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fr&ActionNames.member.1=s3%3AGetObject",
      }),
      call("POST", "/", { service: "monitoring", body: "Action=GetMetricStatistics&MetricName=ReplicationLatency" }),
    ].flatMap((c) => brief(m.map(c)));
    expect(requests.map((r) => [r.action, r.resource])).toEqual([
      ["s3:ListJobs", "*"],
      ["s3:DescribeJob", "arn:aws:s3:us-east-1:111122223333:job/5e1f"],
      ["iam:SimulatePrincipalPolicy", "arn:aws:iam::111122223333:role/r"],
      ["cloudwatch:GetMetricStatistics", "*"],
    ]);
    expect(() => m.map(call("POST", "/v20180820/jobs", { service: "s3" }))).toThrow(UnmappedCall);
  });

  test("needs no permission for GetCallerIdentity", () => {
    expect(mapper().map(call("POST", "/", { service: "sts", body: "Action=GetCallerIdentity" }))).toEqual([]);
  });

  test.each([
    ["an operation it does not know", call("POST", "/", { service: "iam", body: "Action=CreateUser&UserName=u" })],
    ["an S3 subresource it does not know", call("GET", "/b?analytics=", { service: "s3" })],
    ["a service it does not know", call("POST", "/", { service: "ec2", body: "Action=RunInstances" })],
    ["a key no call has signed for", call("GET", "/b?versioning=", { key: "AKIAUNKNOWN", service: "s3" })],
  ])("stops on %s, naming the call", (_what, unknown) => {
    expect(() => mapper().map(unknown)).toThrow(UnmappedCall);
  });
});
