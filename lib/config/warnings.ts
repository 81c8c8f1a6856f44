/**
 * What is probably a mistake but may be right: reported with the stacks, never stopping a synth.
 * - A Region this version does not list: AWS opens new Regions after a release, and refusing
 *   one would block its users until an upgrade; a typo is caught by the warning naming it.
 * - A filter prefix starting with "/": legal in S3, but keys rarely start with one.
 */
import { isKnownRegion } from "../regions";
import type { Path } from "./checks/check";
import type { ConfigIssue } from "./config-error";
import type { Config } from "./schema";

function regionWarning(path: Path, region: string | undefined): ConfigIssue[] {
  if (region === undefined || isKnownRegion(region)) return [];
  return [
    {
      path,
      message: `Region "${region}" is not one this version knows: check the spelling; if AWS opened it after this release, Terraform's AWS provider must know it too`,
    },
  ];
}

export function configWarnings(config: Config): ConfigIssue[] {
  const backend = config.backend.type === "s3" ? regionWarning(["backend", "region"], config.backend.region) : [];
  const accounts = Object.entries(config.accounts).flatMap(([name, account]) =>
    regionWarning(["accounts", name, "region"], account.region),
  );
  const replications = config.replications.flatMap((r, i) => [
    ...regionWarning(["replications", i, "source", "region"], r.source.region),
    ...r.rules.flatMap((rule, j) => {
      const path: Path = ["replications", i, "rules", j];
      const prefix = rule.filter?.prefix;
      return [
        ...regionWarning([...path, "destination", "region"], rule.destination.region),
        ...(prefix?.startsWith("/")
          ? [
              {
                path: [...path, "filter", "prefix"],
                message:
                  'starts with "/": S3 keys rarely do ("logs/a.txt" has none), so this rule may match nothing; remove the "/" unless your keys start with one',
              },
            ]
          : []),
      ];
    }),
  ]);
  return [...backend, ...accounts, ...replications];
}
