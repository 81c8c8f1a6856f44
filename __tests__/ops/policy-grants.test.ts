import { grantOf } from "../../lib/ops/policy-grants";
import { sharedDestinationBucketPolicy } from "../../lib/policies/destination-bucket-policy";
import { exampleConfig, modelOf } from "../helpers/config";

const ARCHIVE = "arn:aws:s3:::acme-central-log-archive";
const PAYMENTS_ROLE = "arn:aws:iam::111122223333:role/s3-replication-acme-payments-logs";

describe("reading a shared destination's live bucket policy", () => {
  const model = modelOf(exampleConfig("central-log-archive"));
  const policy = JSON.parse(JSON.stringify(sharedDestinationBucketPolicy(model.sharedDestinations[0])));

  test("grants a source role its own prefix through the account principal and aws:PrincipalArn", () => {
    expect(grantOf(policy, PAYMENTS_ROLE, "s3:ReplicateObject", `${ARCHIVE}/logs/111122223333/a.log`)).toBe("allowed");
  });

  test("does not grant a source role another source's prefix", () => {
    expect(grantOf(policy, PAYMENTS_ROLE, "s3:ReplicateObject", `${ARCHIVE}/logs/222233334444/a.log`)).toBe(
      "not-granted",
    );
  });

  test("does not grant another role of a source account", () => {
    const other = "arn:aws:iam::111122223333:role/SomeoneElse";
    expect(grantOf(policy, other, "s3:ReplicateObject", `${ARCHIVE}/logs/111122223333/a.log`)).toBe("not-granted");
  });

  test("reads an organization grant as conditional on membership, and checks the role pattern", () => {
    const orgModel = modelOf(exampleConfig("org-log-archive"));
    const orgPolicy = JSON.parse(JSON.stringify(sharedDestinationBucketPolicy(orgModel.sharedDestinations[0])));
    const own = `${ARCHIVE}/AWSLogs/111122223333/any.log`;
    expect(grantOf(orgPolicy, PAYMENTS_ROLE, "s3:ReplicateObject", own)).toBe("allowed-with-conditions");
    expect(grantOf(orgPolicy, "arn:aws:iam::111122223333:role/Other", "s3:ReplicateObject", own)).toBe("not-granted");
  });

  test("reads an organization grant's aws:PrincipalAccount variable as the role's own account", () => {
    const orgModel = modelOf(exampleConfig("org-log-archive"));
    const orgPolicy = JSON.parse(JSON.stringify(sharedDestinationBucketPolicy(orgModel.sharedDestinations[0])));
    const search = `${ARCHIVE}/AWSLogs/222233334444/any.log`;
    expect(grantOf(orgPolicy, PAYMENTS_ROLE, "s3:ReplicateObject", search)).toBe("not-granted");
    expect(grantOf(orgPolicy, PAYMENTS_ROLE, "s3:ReplicateObject", `${ARCHIVE}/any.log`)).toBe("not-granted");
  });
});
