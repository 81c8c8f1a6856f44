import { accountNamed } from "../model";
import type { Check, Path } from "./check";
import { issue } from "./check";

export const checkCredentials: Check = (config) => {
  const accountIssues = Object.entries(config.accounts)
    .filter(([, account]) => !account.credentials?.profile && !account.credentials?.roleArn)
    .map(([name]) =>
      issue(
        ["accounts", name, "credentials"],
        'no credentials source: set "profile" (an AWS CLI profile, for workstations) or "roleArn" (a role to assume, for pipelines)',
      ),
    );
  const backend = config.backend.type === "s3" ? config.backend.credentials : undefined;
  const backendIssues =
    backend && !backend.profile && !backend.roleArn
      ? [
          issue(
            ["backend", "credentials"],
            'no credentials source: set "profile" or "roleArn", or leave "credentials" out to use the default chain',
          ),
        ]
      : [];
  return [...accountIssues, ...backendIssues];
};

export const checkAccountReferences: Check = (config) => {
  const known = Object.keys(config.accounts);
  const unknown = (path: Path, name: string) =>
    accountNamed(config, name)
      ? []
      : [issue(path, `unknown account "${name}": use one of the names under "accounts" (${known.join(", ")})`)];
  const bootstrap = config.backend.type === "s3" ? config.backend.bootstrap : undefined;
  return [
    ...(bootstrap ? unknown(["backend", "bootstrap", "account"], bootstrap.account) : []),
    ...config.replications.flatMap((r, i) => [
      ...unknown(["replications", i, "source", "account"], r.source.account),
      ...r.rules.flatMap((rule, j) =>
        unknown(["replications", i, "rules", j, "destination", "account"], rule.destination.account),
      ),
    ]),
  ];
};
