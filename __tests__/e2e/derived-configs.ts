/**
 * The configs some proofs derive from the shipped ones, each read back against its own expected
 * files (expected/<proof>/): written once here so the proofs and the tests of the expected files
 * use the same config.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const DEFAULT_CONFIG = join(ROOT, "replication.config.json");
const CENTRAL = join(ROOT, "examples", "central-log-archive.json");

type Raw = Record<string, any>;

function read(file: string): Raw {
  const config = JSON.parse(readFileSync(file, "utf8"));
  config.$schema = undefined;
  return config;
}

/**
 * proof-template-text: text Terraform would evaluate if it were not escaped, in a prefix and in an
 * extra statement with an IAM policy variable (tags cannot hold "$" or "%" by AWS's rule).
 */
export function templateTextConfig(): Raw {
  const config = read(DEFAULT_CONFIG);
  const rule = config.replications[0].rules[0];
  rule.deleteMarkerReplication = false;
  rule.filter = { prefix: 'logs$/${file("/etc/hostname")}/%{x}*?/', tags: { "k@a": "v:1" } };
  const destination = rule.destination.bucket;
  config.replications[0].destinationPolicies = {
    [destination]: {
      additionalStatements: [
        {
          Sid: "OwnHomeOnly",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:DeleteObject",
          NotResource: `arn:aws:s3:::${destination}/home/\${aws:username}/*`,
        },
      ],
    },
  };
  return config;
}

/** proof-rename-role: the default config with its role renamed. */
export function renamedRoleConfig(): Raw {
  const config = read(DEFAULT_CONFIG);
  config.replications[0].role.name = "S3ReplicationRoleRenamed";
  return config;
}

/**
 * proof-one-to-fan-in: the central example without what a one-to-one stack could not hand over
 * as is, a created bucket and key.
 */
export function existingArchiveConfig(): Raw {
  const config = read(CENTRAL);
  for (const r of config.replications) {
    r.source.sseKmsKeyArns = undefined;
    r.rules[0].replicateSseKms = undefined;
    r.rules[0].destination = { account: "log-archive", bucket: "acme-central-log-archive" };
  }
  return config;
}

/** Expected-files name -> the config it stands for. */
export const DERIVED_CONFIGS: Readonly<Record<string, () => Raw>> = {
  "proof-template-text": templateTextConfig,
  "proof-rename-role": renamedRoleConfig,
  "proof-one-to-fan-in": existingArchiveConfig,
};
