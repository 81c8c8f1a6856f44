import { bucketArn, objectsArn, partitionOf, roleArn } from "../lib/arn";

describe("arn", () => {
  test.each([
    ["us-east-1", "aws"],
    ["eu-central-2", "aws"],
    ["cn-north-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("puts %s in the %s partition", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  test("builds bucket, object and role ARNs", () => {
    expect(bucketArn("aws", "b")).toBe("arn:aws:s3:::b");
    expect(objectsArn("aws", "b")).toBe("arn:aws:s3:::b/*");
    expect(objectsArn("aws-cn", "b", "logs/")).toBe("arn:aws-cn:s3:::b/logs/*");
    expect(roleArn("aws", "111122223333", "/", "r")).toBe("arn:aws:iam::111122223333:role/r");
    expect(roleArn("aws", "111122223333", "/service-role/", "r")).toBe("arn:aws:iam::111122223333:role/service-role/r");
  });

  test("escapes IAM's special characters in a prefix so they match literally", () => {
    expect(objectsArn("aws", "b", "a*b?c$d/")).toBe("arn:aws:s3:::b/a${*}b${?}c${$}d/*");
  });
});
