// The end-to-end test names what it lacks instead of failing somewhere inside Terraform.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/synth-run";
import { checkPrerequisites } from "./prerequisites";
import { mirroredAwsVersions } from "./terraform";

describe("end-to-end prerequisites", () => {
  it("names a missing provider mirror and how to fill it", () => {
    const mirror = join(tempDir(), "empty-mirror");
    expect(checkPrerequisites(mirror).missing).toContainEqual(
      expect.stringContaining(
        `the hashicorp/aws provider: none in the filesystem mirror ${mirror}. Fill it with \`terraform providers mirror ${mirror}\``,
      ),
    );
  });

  it("accepts an empty mirror when the pinned provider is to be downloaded into it (E2E_PROVIDER_DOWNLOAD=1)", () => {
    const mirror = join(tempDir(), "empty-mirror");
    expect(checkPrerequisites(mirror, true).missing.filter((m) => m.includes("hashicorp/aws"))).toEqual([]);
  });

  it("lists mirrored provider versions newest first, ignoring other platforms and stray folders", () => {
    const mirror = tempDir();
    const aws = join(mirror, "registry.terraform.io", "hashicorp", "aws");
    for (const dir of ["5.9.0/linux_amd64", "5.100.0/linux_amd64", "6.25.0/darwin_arm64", "notes"]) {
      mkdirSync(join(aws, dir), { recursive: true });
    }
    expect(mirroredAwsVersions(mirror)).toEqual(["5.100.0", "5.9.0"]);
  });
});
