/**
 * What the end-to-end test needs on the machine, and how to get what is missing. It never
 * installs anything itself.
 */
import { spawnSync } from "node:child_process";
import { mirroredAwsVersions } from "./terraform";

export interface Prerequisites {
  readonly missing: readonly string[];
  readonly terraformVersion?: string;
  readonly providerVersions: readonly string[];
}

const MIN_TERRAFORM = [1, 10];

/** `download`: the pinned provider will be fetched into the mirror (E2E_PROVIDER_DOWNLOAD=1), which may start empty. */
export function checkPrerequisites(mirror: string, download = false): Prerequisites {
  const missing: string[] = [];
  const tf = spawnSync("terraform", ["version", "-json"], { encoding: "utf8" });
  let terraformVersion: string | undefined;
  if (tf.status !== 0 || tf.error) {
    missing.push(
      "terraform: not on PATH. Install Terraform 1.10 or later (https://developer.hashicorp.com/terraform/install)",
    );
  } else {
    terraformVersion = JSON.parse(tf.stdout).terraform_version as string;
    const [major, minor] = terraformVersion.split(".").map(Number);
    if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
      missing.push(`terraform ${terraformVersion}: the stacks need 1.10 or later (S3-native state locking)`);
    }
  }
  const providerVersions = mirroredAwsVersions(mirror);
  if (providerVersions.length === 0 && !download) {
    missing.push(
      `the hashicorp/aws provider: none in the filesystem mirror ${mirror}. Fill it with \`terraform providers mirror ${mirror}\` in a synthesized stack directory (needs the registry once), or point E2E_PROVIDER_MIRROR at a mirror`,
    );
  }
  const moto = spawnSync("python3", ["-c", "import moto, boto3, flask, xmltodict; print(moto.__version__)"], {
    encoding: "utf8",
  });
  if (moto.status !== 0 || moto.error) {
    missing.push('moto (the AWS emulator) for python3: install it with `pip install "moto[server]"`');
  }
  return { missing, terraformVersion, providerVersions };
}
