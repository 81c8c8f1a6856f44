/** One place where two JSON documents differ. */
export interface JsonDifference {
  /** Keys from the root, joined with dots; array items as [i]. */
  readonly path: string;
  readonly left: unknown;
  readonly right: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every leaf where `left` and `right` differ; a key only one side has is a difference too. */
export function jsonDifferences(left: unknown, right: unknown, path = ""): JsonDifference[] {
  if (Array.isArray(left) && Array.isArray(right)) {
    const length = Math.max(left.length, right.length);
    return Array.from({ length }, (_, i) => jsonDifferences(left[i], right[i], `${path}[${i}]`)).flat();
  }
  if (isObject(left) && isObject(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return keys.flatMap((key) => jsonDifferences(left[key], right[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(left) === JSON.stringify(right) ? [] : [{ path, left, right }];
}

/**
 * The full registry address of a provider source: Terraform reads "aws" and "hashicorp/aws" as
 * registry.terraform.io/hashicorp/aws.
 * @see https://developer.hashicorp.com/terraform/language/providers/requirements#source-addresses
 */
export function providerAddress(source: string): string {
  const parts = source.split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${source}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source;
}
