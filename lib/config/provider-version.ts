/**
 * Which AWS provider versions the stacks may require. The TypeScript bindings were generated from
 * one provider release; by default every stack pins exactly that release. A config may widen the
 * requirement to later releases of the same major version: a provider accepts every argument an
 * older release of its major version wrote, but an older release may not know one the bindings
 * write, and the next major version removes arguments.
 * @see https://developer.hashicorp.com/terraform/language/expressions/version-constraints
 */
import providerPackage from "@cdktf/provider-aws/package.json";
import { z } from "zod";

/** The AWS provider release the installed bindings were generated from: the default exact pin. */
export const BINDINGS_PROVIDER_VERSION: string = providerPackage.cdktf.provider.version;

type Version = readonly [number, number, number];

interface Bound {
  readonly version: Version;
  readonly inclusive: boolean;
}

interface Range {
  readonly lower?: Bound;
  readonly upper?: Bound;
}

const CLAUSE = /^(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function format(version: Version): string {
  return version.join(".");
}

function parseVersion(text: string): Version {
  const [major, minor = 0, patch = 0] = text.split(".").map(Number);
  return [major, minor, patch];
}

/** The higher of two lower bounds (the tighter one); at equal versions, the exclusive one. */
function tighterLower(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const order = compare(a.version, b.version);
  if (order !== 0) return order > 0 ? a : b;
  return a.inclusive ? b : a;
}

function tighterUpper(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const order = compare(a.version, b.version);
  if (order !== 0) return order < 0 ? a : b;
  return a.inclusive ? b : a;
}

/**
 * The range of releases a Terraform version constraint allows (`!=` clauses only punch holes, so
 * they do not move the bounds), or undefined when a clause is not a plain release constraint.
 */
export function constraintRange(constraint: string): Range | undefined {
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  for (const clause of constraint.split(",").map((c) => c.trim())) {
    const match = CLAUSE.exec(clause);
    if (!match) return undefined;
    const [, operator = "=", major, minor, patch] = match;
    const version = parseVersion([major, minor, patch].filter((p) => p !== undefined).join("."));
    switch (operator) {
      case "=":
        lower = tighterLower(lower, { version, inclusive: true });
        upper = tighterUpper(upper, { version, inclusive: true });
        break;
      case ">":
      case ">=":
        lower = tighterLower(lower, { version, inclusive: operator === ">=" });
        break;
      case "<":
      case "<=":
        upper = tighterUpper(upper, { version, inclusive: operator === "<=" });
        break;
      case "~>": {
        // ~> 6.40 allows 6.40.0 up to, not including, 7.0.0; ~> 6.40.1 up to 6.41.0.
        const next: Version = patch !== undefined ? [version[0], version[1] + 1, 0] : [version[0] + 1, 0, 0];
        lower = tighterLower(lower, { version, inclusive: true });
        upper = tighterUpper(upper, { version: next, inclusive: false });
        break;
      }
    }
  }
  return { lower, upper };
}

/**
 * Why `constraint` is not a version requirement these bindings can synthesize for, or undefined
 * when it is: it must allow only releases from `bindings` up to the next major version.
 */
export function providerVersionProblem(
  constraint: string,
  bindings: string = BINDINGS_PROVIDER_VERSION,
): string | undefined {
  const floor = parseVersion(bindings);
  const ceiling: Version = [floor[0] + 1, 0, 0];
  const example = `"~> ${floor[0]}.${floor[1]}" or ">= ${bindings}, < ${format(ceiling)}"`;
  const range = constraintRange(constraint);
  if (!range) {
    return `must be a Terraform version constraint of plain releases, like ${example}`;
  }
  const { lower, upper } = range;
  if (!lower || compare(lower.version, floor) < 0) {
    return `allows AWS provider releases before ${bindings}, the release these bindings were generated from: start at ${bindings} or later, like ${example}`;
  }
  if (!upper || compare(upper.version, ceiling) > 0 || (compare(upper.version, ceiling) === 0 && upper.inclusive)) {
    return `allows AWS provider ${format(ceiling)} or later, a major version these bindings were not generated for: end before ${format(ceiling)}, like ${example}`;
  }
  const order = compare(lower.version, upper.version);
  if (order > 0 || (order === 0 && !(lower.inclusive && upper.inclusive))) {
    return "allows no release at all: check the bounds";
  }
  return undefined;
}

export const awsProviderVersionSchema = z
  .string()
  .superRefine((constraint, ctx) => {
    const problem = providerVersionProblem(constraint);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe(
    'The AWS provider versions every stack requires (terraform.required_providers.aws.version), as a Terraform version constraint like "~> 6.40". Only releases from the one the provider bindings were generated from up to the next major version are accepted. The lock file (.terraform.lock.hcl) records the release terraform init chose.\n@default the exact release the provider bindings were generated from\n@see docs/upgrades.md#provider-version',
  );
