import { bucketAddress, defaultRoleName, destinationAliases, replicationId } from "../lib/naming";

describe("naming", () => {
  test("names a stack after its source bucket, dots as hyphens", () => {
    expect(replicationId("my-app-data-prod")).toBe("replication-my-app-data-prod");
    expect(replicationId("logs.example.com")).toBe("replication-logs-example-com");
  });

  test("derives a role name that fits IAM's 64 characters and stays unique", () => {
    expect(defaultRoleName("my-app-data-prod")).toBe("s3-replication-my-app-data-prod");
    const long = `${"a".repeat(60)}-one`;
    const other = `${"a".repeat(60)}-two`;
    expect(defaultRoleName(long)).toHaveLength(64);
    expect(defaultRoleName(long)).toMatch(/^s3-replication-a+-[0-9a-f]{8}$/);
    expect(defaultRoleName(long)).not.toBe(defaultRoleName(other));
  });

  test("turns bucket names into Terraform names", () => {
    expect(bucketAddress("destination", "logs.example.com")).toBe("destination_logs_example_com");
    expect(bucketAddress("destination", "123-backup")).toBe("destination_123-backup");
  });

  test("uses one destination alias for one account and Region", () => {
    const aliases = destinationAliases([
      { account: "backup", region: "us-west-2" },
      { account: "backup", region: "us-west-2" },
    ]);
    expect([...aliases.values()]).toEqual(["destination"]);
  });

  test("uses an alias per account, and per Region where an account has several", () => {
    const aliases = destinationAliases([
      { account: "backup", region: "us-west-2" },
      { account: "dr-site", region: "eu-west-1" },
      { account: "backup", region: "eu-west-1" },
    ]);
    expect([...aliases.values()]).toEqual([
      "destination_backup_us_west_2",
      "destination_dr_site",
      "destination_backup_eu_west_1",
    ]);
  });
});
