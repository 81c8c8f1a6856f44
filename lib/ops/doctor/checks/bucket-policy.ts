import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import { objectGrants } from "../../../policies/object-grants";
import { grantOf } from "../../policy-grants";
import { checkEach, clientsOf, type DoctorContext, sampleObjectArn } from "../doctor-context";

/**
 * Each destination bucket policy grants the exact role ARN every action replication writes with,
 * under the prefixes of the rules that need it: as the principal (one source), or as the
 * aws:PrincipalArn of its account's grant (a shared bucket).
 */
export function checkBucketPolicies(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  return checkEach(
    replication.destinations,
    (destination) => ({
      stack: replication.stackName,
      check: "destination bucket policy",
      principal: replication.role.arn,
      resource: destination.arn,
      help: HELP.accessDenied,
    }),
    async (destination, base) => {
      const live = await clientsOf(ctx, destination)
        .s3.send(new GetBucketPolicyCommand({ Bucket: destination.bucket }))
        .catch((error: Error) => {
          if (error.name === "NoSuchBucketPolicy") return undefined;
          throw error;
        });
      if (!live?.Policy) return fail({ ...base, detail: "the bucket has no policy: apply the stack" });
      const policy = JSON.parse(live.Policy);
      // Each action is granted only under the prefixes of the rules that need it: test inside one.
      const grants = objectGrants(replication.rules.filter((r) => r.destination.bucket === destination.bucket));
      const actions = grants.flatMap((g) => g.actions);
      const problems = grants.flatMap((g) =>
        g.actions.flatMap((action) => {
          const grant = grantOf(policy, replication.role.arn, action, sampleObjectArn(destination, g.prefixes[0]));
          return grant === "allowed" || grant === "allowed-with-conditions" ? [] : [`${action} ${grant}`];
        }),
      );
      return problems.length === 0
        ? pass({ ...base, help: undefined, detail: actions.join(", ") })
        : fail({ ...base, detail: `for this exact role ARN: ${problems.join(", ")}` });
    },
  );
}
