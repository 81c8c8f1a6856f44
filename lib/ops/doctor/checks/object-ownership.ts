import { GetBucketOwnershipControlsCommand } from "@aws-sdk/client-s3";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import { checkEach, clientsOf, type DoctorContext } from "../doctor-context";

/**
 * Each destination's Object Ownership is what the config declares, and the result says who owns
 * replicas: the destination with owner override or BucketOwnerEnforced, the source otherwise.
 */
export function checkObjectOwnership(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  return checkEach(
    replication.destinations,
    (destination) => ({
      stack: replication.stackName,
      check: "object ownership",
      resource: destination.arn,
      help: HELP.ownerOverride,
    }),
    async (destination, base) => {
      const live = await clientsOf(ctx, destination)
        .s3.send(new GetBucketOwnershipControlsCommand({ Bucket: destination.bucket }))
        .catch((error: Error) => {
          if (error.name === "OwnershipControlsNotFoundError") return undefined;
          throw error;
        });
      const ownership = live?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? "ObjectWriter";
      const declared = destination.objectOwnership;
      if (declared && declared !== ownership) {
        return fail({ ...base, detail: `${ownership}, but the config declares ${declared}` });
      }
      const owner =
        ownership === "BucketOwnerEnforced" || destination.ownerOverride
          ? "replicas owned by the destination account"
          : "replicas keep the source owner, as configured";
      return pass({ ...base, help: undefined, detail: `${ownership}: ${owner}` });
    },
  );
}
