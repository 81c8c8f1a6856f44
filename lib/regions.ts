/**
 * The AWS partitions and the Regions this version knows, from the AWS SDK for JavaScript v3's
 * partition table (`@aws-sdk/core` 3.1175, util-endpoints partitions.js). A Region decides the
 * partition every ARN is written in, so a Region that fits no partition's pattern is refused; one
 * that fits a pattern but is not listed may be new since this release, and only gets a warning.
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */

export interface Partition {
  /** The ARN partition: `arn:<id>:...`. */
  readonly id: string;
  /** The domain of the partition's service endpoints (`s3.<region>.<dnsSuffix>`). */
  readonly dnsSuffix: string;
  readonly pattern: RegExp;
  readonly regions: readonly string[];
}

export const PARTITIONS: readonly Partition[] = [
  {
    id: "aws",
    dnsSuffix: "amazonaws.com",
    pattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/,
    regions: [
      "af-south-1",
      "ap-east-1",
      "ap-east-2",
      "ap-northeast-1",
      "ap-northeast-2",
      "ap-northeast-3",
      "ap-south-1",
      "ap-south-2",
      "ap-southeast-1",
      "ap-southeast-2",
      "ap-southeast-3",
      "ap-southeast-4",
      "ap-southeast-5",
      "ap-southeast-6",
      "ap-southeast-7",
      "ca-central-1",
      "ca-west-1",
      "eu-central-1",
      "eu-central-2",
      "eu-north-1",
      "eu-south-1",
      "eu-south-2",
      "eu-west-1",
      "eu-west-2",
      "eu-west-3",
      "il-central-1",
      "me-central-1",
      "me-south-1",
      "me-west-1",
      "mx-central-1",
      "sa-east-1",
      "sa-west-1",
      "us-east-1",
      "us-east-2",
      "us-west-1",
      "us-west-2",
    ],
  },
  {
    id: "aws-cn",
    dnsSuffix: "amazonaws.com.cn",
    pattern: /^cn-[a-z]+-\d+$/,
    regions: ["cn-north-1", "cn-northwest-1"],
  },
  {
    id: "aws-us-gov",
    dnsSuffix: "amazonaws.com",
    pattern: /^us-gov-[a-z]+-\d+$/,
    regions: ["us-gov-east-1", "us-gov-west-1"],
  },
  {
    id: "aws-iso",
    dnsSuffix: "c2s.ic.gov",
    pattern: /^us-iso-[a-z]+-\d+$/,
    regions: ["us-iso-east-1", "us-iso-west-1"],
  },
  {
    id: "aws-iso-b",
    dnsSuffix: "sc2s.sgov.gov",
    pattern: /^us-isob-[a-z]+-\d+$/,
    regions: ["us-isob-east-1", "us-isob-west-1"],
  },
  { id: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", pattern: /^eu-isoe-[a-z]+-\d+$/, regions: ["eu-isoe-west-1"] },
  {
    id: "aws-iso-f",
    dnsSuffix: "csp.hci.ic.gov",
    pattern: /^us-isof-[a-z]+-\d+$/,
    regions: ["us-isof-east-1", "us-isof-south-1"],
  },
  { id: "aws-eusc", dnsSuffix: "amazonaws.eu", pattern: /^eusc-de-[a-z]+-\d+$/, regions: ["eusc-de-east-1"] },
];

/** The partition a Region code belongs to (the patterns do not overlap). */
export function partitionOfRegion(region: string): Partition | undefined {
  return PARTITIONS.find((p) => p.pattern.test(region));
}

export function isKnownRegion(region: string): boolean {
  return PARTITIONS.some((p) => p.regions.includes(region));
}
