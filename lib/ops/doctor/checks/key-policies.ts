import { GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import { kmsDestinations, replicaKeyActions } from "../../../policies/kms-policies";
import { grantOf } from "../../policy-grants";
import { checkEach, clientsOf, type DoctorContext, replicaKeyArn } from "../doctor-context";

/** Each replica key's policy lets the replication role encrypt replicas. */
export function checkKeyPolicies(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  return checkEach(
    kmsDestinations(replication),
    (destination) => ({
      stack: replication.stackName,
      check: "replica key policy",
      principal: replication.role.arn,
      resource:
        destination.replicaKms?.kind === "existing" ? destination.replicaKms.keyArn : destination.replicaKms?.alias,
      help: HELP.kms,
    }),
    async (destination, base) => {
      const keyArn = (await replicaKeyArn(ctx, destination)) as string;
      const { Policy } = await clientsOf(ctx, destination).kms.send(
        new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }),
      );
      const policy = JSON.parse(Policy ?? "{}");
      const missing = replicaKeyActions(destination).filter(
        (action) => !grantOf(policy, replication.role.arn, action, keyArn).startsWith("allowed"),
      );
      return missing.length === 0
        ? pass({ ...base, resource: keyArn, help: undefined })
        : fail({
            ...base,
            resource: keyArn,
            detail: `the key policy does not allow the role ${missing.join(", ")}: add the statement in output replica_key_policy_statements`,
          });
    },
  );
}
