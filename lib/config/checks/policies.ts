import { BUCKET_POLICY_SIDS, TLS_ONLY_SID } from "../../naming";
import { type Check, issue } from "./check";

export const checkDestinationPolicies: Check = (config) =>
  config.replications.flatMap((r, i) => {
    const destinations = new Map(r.rules.map((rule) => [rule.destination.bucket, rule.destination]));
    return Object.entries(r.destinationPolicies).flatMap(([bucket, policy]) => {
      const path = ["replications", i, "destinationPolicies", bucket];
      const destination = destinations.get(bucket);
      if (!destination) {
        return [
          issue(
            path,
            `"${bucket}" is not the destination of any rule: use a destination bucket name (${[...destinations.keys()].join(", ")})`,
          ),
        ];
      }
      const reserved: string[] = [...Object.values(BUCKET_POLICY_SIDS), ...(destination.create ? [TLS_ONLY_SID] : [])];
      return policy.additionalStatements.flatMap((statement, k) =>
        statement.Sid && reserved.includes(statement.Sid)
          ? [
              issue(
                [...path, "additionalStatements", k, "Sid"],
                `Sid "${statement.Sid}" is one of the statements this project writes: choose another Sid`,
              ),
            ]
          : [],
      );
    });
  });
