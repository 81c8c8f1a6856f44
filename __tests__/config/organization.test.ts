/**
 * Organization mode trusts every role of every member account whose name matches the pattern,
 * each in its own part of the bucket: a pattern without a fixed part, a key prefix without the
 * account, and a listed source writing outside its own part are refused at load, each with the
 * field and the fix.
 */
import { exampleConfig, modelOf, problemsOf } from "../helpers/config";

const ORG = 'sharedDestinations["acme-central-log-archive"].organization';

function orgConfig(edit: (organization: Record<string, unknown>, config: ReturnType<typeof exampleConfig>) => void) {
  const config = exampleConfig("org-log-archive");
  const organization = config.sharedDestinations?.["acme-central-log-archive"].organization;
  if (!organization) throw new Error("the example has no organization");
  edit(organization as Record<string, unknown>, config);
  return config;
}

describe("organization mode config", () => {
  test.each(["*", "/*", "*/s3-replication-*"])(
    "refuses roleNamePattern %j, which starts with a wildcard",
    (pattern) => {
      expect(problemsOf(orgConfig((o) => (o.roleNamePattern = pattern)))).toEqual([
        `${ORG}.roleNamePattern: ${JSON.stringify(pattern)} starts with a wildcard, so every role of every member account matches it: start it with a fixed role name or path part that only your platform team may create roles under, like "s3-replication-*" or "log-replication/*"`,
      ]);
    },
  );

  test.each([
    ["s3-replication-*", "/"],
    ["log-replication/*", "/log-replication/"],
  ])("accepts roleNamePattern %j (roles under path %j)", (pattern, path) => {
    const config = orgConfig((o, c) => {
      o.roleNamePattern = pattern;
      for (const r of c.replications) r.role = { path, name: "s3-replication-logs" };
    });
    expect(modelOf(config).sharedDestinations[0].organization?.principalArnPattern).toBe(
      `arn:aws:iam::*:role/${pattern}`,
    );
  });

  test.each(["AWSLogs/", "AWSLogs/{account}/{account}/"])("refuses accountKeyPrefix %j", (prefix) => {
    expect(problemsOf(orgConfig((o) => (o.accountKeyPrefix = prefix)))).toEqual([
      `${ORG}.accountKeyPrefix: must hold {account} exactly once, where each member account's id goes, like "AWSLogs/{account}/"`,
    ]);
  });

  test("refuses an accountKeyPrefix IAM policies cannot hold", () => {
    expect(problemsOf(orgConfig((o) => (o.accountKeyPrefix = "logs\u0100/{account}/")))).toEqual([
      `${ORG}.accountKeyPrefix: may hold only U+0020 to U+00FF: IAM policies, which name this prefix, hold no other characters`,
    ]);
  });

  test("refuses a listed source's rule outside its own account's part, naming the prefix to use", () => {
    const config = orgConfig((_o, c) => {
      c.replications[1].rules[0].filter = { prefix: "AWSLogs/111122223333/" };
    });
    expect(problemsOf(config)).toEqual([
      'replications[1].rules[0].filter.prefix: "AWSLogs/111122223333/" is outside this source\'s part of the organization\'s bucket "acme-central-log-archive": each member account may write only under sharedDestinations["acme-central-log-archive"].organization.accountKeyPrefix ("AWSLogs/{account}/") with its own account id, so set a prefix starting with "AWSLogs/222233334444/"',
    ]);
  });

  test("refuses a listed source's rule without a prefix (the whole bucket)", () => {
    const config = orgConfig((_o, c) => {
      delete c.replications[0].rules[0].filter;
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].rules[0].filter.prefix: no prefix means the whole bucket, outside this source\'s part of the organization\'s bucket "acme-central-log-archive": each member account may write only under sharedDestinations["acme-central-log-archive"].organization.accountKeyPrefix ("AWSLogs/{account}/") with its own account id, so set a prefix starting with "AWSLogs/111122223333/"',
    ]);
  });

  test("defaults the key layout to where AWS services write logs, AWSLogs/<account id>/", () => {
    expect(modelOf(exampleConfig("org-log-archive")).sharedDestinations[0].organization?.accountPrefix).toEqual({
      before: "AWSLogs/",
      after: "/",
    });
  });
});
