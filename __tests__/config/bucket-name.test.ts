import { bucketNameProblem } from "../../lib/config/bucket-name";

describe("bucket names", () => {
  test.each(["my-app-data-prod", "abc", "logs.example.com", "1bucket", "a".repeat(63)])("accepts %s", (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });

  test.each([
    ["a".repeat(64), "must be 3 to 63 characters long (it has 64)"],
    ["bucket.", "must begin and end with a lowercase letter or a digit"],
    ["sthree-bucket", 'must not start with the reserved prefix "sthree-"'],
    ["amzn-s3-demo-bucket", 'must not start with the reserved prefix "amzn-s3-demo-"'],
    ["bucket--ol-s3", 'must not end with the reserved suffix "--ol-s3"'],
    ["bucket.mrap", 'must not end with the reserved suffix ".mrap"'],
    ["bucket--x-s3", 'must not end with the reserved suffix "--x-s3"'],
  ])("rejects %s", (name, problem) => {
    expect(bucketNameProblem(name)).toBe(problem);
  });
});
