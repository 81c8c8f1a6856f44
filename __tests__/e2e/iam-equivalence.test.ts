// Policy documents compare as IAM reads them: spellings IAM treats alike are equal, and any
// difference in what a policy allows or denies is named.
import { policyDifferences } from "./iam-equivalence";

const policy = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });

const grant = {
  Sid: "Grant",
  Effect: "Allow",
  Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::222233334444:root"] },
  Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
  Resource: "arn:aws:s3:::archive/*",
  Condition: {
    ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::222233334444:role/b"] },
  },
};
const deny = {
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::archive", "arn:aws:s3:::archive/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

describe("IAM-equivalent policy comparison", () => {
  it("equates reordered statements, lists and values, one-element lists, letter case of actions and keys, and Principal *", () => {
    const respelled = policy(
      {
        Resource: ["arn:aws:s3:::archive/*", "arn:aws:s3:::archive"],
        Condition: { Bool: { "AWS:SecureTransport": ["false"] } },
        Action: ["S3:*"],
        Principal: { AWS: "*" },
        Effect: "Deny",
      },
      {
        ...grant,
        Principal: { AWS: ["arn:aws:iam::222233334444:root", "arn:aws:iam::111122223333:root"] },
        Action: ["s3:replicatetags", "s3:ReplicateObject"],
        Resource: ["arn:aws:s3:::archive/*"],
        Condition: {
          ArnEquals: { "aws:principalarn": ["arn:aws:iam::222233334444:role/b", "arn:aws:iam::111122223333:role/a"] },
        },
      },
    );
    expect(policyDifferences(policy(grant, deny), respelled)).toEqual([]);
  });

  it("names an action, resource or principal more or less", () => {
    const changed = policy(
      {
        ...grant,
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete"],
        Resource: ["arn:aws:s3:::archive/*", "arn:aws:s3:::other/*"],
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
      },
      deny,
    );
    expect(policyDifferences(policy(grant, deny), changed)).toEqual([
      "statement Grant Action: lacks s3:replicatetags; also has s3:replicatedelete",
      'statement Grant Principal: is {"AWS":["arn:aws:iam::111122223333:root"]}, expected {"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::222233334444:root"]}',
      "statement Grant Resource: also has arn:aws:s3:::other/*",
    ]);
  });

  it("names a condition value, operator or effect that differs, and a statement missing or added", () => {
    const changed = policy(
      { ...grant, Effect: "Deny", Condition: { ArnLike: grant.Condition.ArnEquals } },
      { ...deny, Condition: { Bool: { "aws:SecureTransport": "true" } } },
      { Sid: "New", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" },
    );
    expect(policyDifferences(policy(grant, deny), changed)).toEqual([
      'statement Grant Condition: is {"ArnLike":{"aws:principalarn":["arn:aws:iam::111122223333:role/a","arn:aws:iam::222233334444:role/b"]}}, expected {"ArnEquals":{"aws:principalarn":["arn:aws:iam::111122223333:role/a","arn:aws:iam::222233334444:role/b"]}}',
      'statement Grant Effect: is "Deny", expected "Allow"',
      "statement New: not expected",
      'statement without Sid missing: {"Action":["s3:*"],"Condition":{"Bool":{"aws:securetransport":["false"]}},"Effect":"Deny","Principal":{"AWS":["*"]},"Resource":["arn:aws:s3:::archive","arn:aws:s3:::archive/*"]}',
      'statement without Sid not expected: {"Action":["s3:*"],"Condition":{"Bool":{"aws:securetransport":["true"]}},"Effect":"Deny","Principal":{"AWS":["*"]},"Resource":["arn:aws:s3:::archive","arn:aws:s3:::archive/*"]}',
    ]);
  });

  it("keeps NotResource apart from Resource, a Sid from another, and checks the Version", () => {
    const changed = {
      Version: "2008-10-17",
      Statement: [
        { ...grant, Sid: "Renamed" },
        { ...deny, NotResource: deny.Resource, Resource: undefined },
      ],
    };
    expect(policyDifferences(policy(grant, deny), JSON.parse(JSON.stringify(changed)))).toEqual([
      'Version: is "2008-10-17", expected "2012-10-17"',
      "statement Grant: missing",
      "statement Renamed: not expected",
      expect.stringMatching(/^statement without Sid missing: /),
      expect.stringMatching(/^statement without Sid not expected: .*"NotResource"/),
    ]);
  });

  it("reports a policy that is not there", () => {
    expect(policyDifferences(policy(grant), null)).toEqual(["missing"]);
  });
});
