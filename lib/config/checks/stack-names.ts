/**
 * Stack names are state keys (`<keyPrefix>/<stack>/terraform.tfstate`) and directories: two stacks
 * of one name would share a state, and a layout's stack named like another layout's would find
 * that stack's state after a move between layouts (whose old stacks keep their state until
 * retired). So a grouped stack never takes the name a source bucket's stack has in the per-bucket
 * layout (`replication-<bucket>`), and a config's own stack names stay clear of the names the
 * layouts make.
 */
import { namedStackName, RESERVED_STACK_NAMES, replicationId } from "../../naming";
import { STATE_BOOTSTRAP_STACK } from "../model";
import { sharedBucketNames } from "../shared-buckets";
import { assignStacks } from "../stack-units";
import { type Check, issue } from "./check";

function reserved(stack: string): boolean {
  return (
    RESERVED_STACK_NAMES.names.some((name) => name === stack) ||
    RESERVED_STACK_NAMES.prefixes.some((prefix) => stack.startsWith(prefix))
  );
}

/** A `stack` of the config's own may not take a name the layouts make. */
export const checkReservedStackNames: Check = (config) =>
  config.replications.flatMap((r, i) =>
    r.stack !== undefined && reserved(r.stack)
      ? [
          issue(
            ["replications", i, "stack"],
            `"${r.stack}" would name the stack ${namedStackName(r.stack)}, and names starting with "account-" or "destination-", "all" and "state-bootstrap" belong to the stacks the layouts make: choose another name, or leave stack out to use the layout's stack`,
          ),
        ]
      : [],
  );

/** No grouped stack is named like a source bucket's per-bucket stack; no source bucket's stack like the bootstrap's. */
export const checkStackNameCollisions: Check = (config) => {
  const assignment = assignStacks(config, sharedBucketNames(config));
  const ids = config.replications.map((r) => replicationId(r.source.bucket));
  const bootstrap = config.backend.type === "s3" && config.backend.bootstrap !== undefined;
  return config.replications.flatMap((r, i) => {
    const stack = assignment.stackOf[i];
    const owner = ids.indexOf(stack);
    if (bootstrap && ids[i] === STATE_BOOTSTRAP_STACK) {
      return [
        issue(
          ["replications", i, "source", "bucket"],
          `bucket "${r.source.bucket}" gives the stack name ${STATE_BOOTSTRAP_STACK}, the state bucket's bootstrap stack: use a separate config file for this bucket, or create the state bucket without backend.bootstrap`,
        ),
      ];
    }
    if (owner < 0 || (r.stack !== undefined && reserved(r.stack))) return [];
    if (r.stack !== undefined) {
      return [
        issue(
          ["replications", i, "stack"],
          `"${r.stack}" names the stack ${stack}, which is the per-bucket stack of the source bucket "${config.replications[owner].source.bucket}" (replications[${owner}]): a move between layouts would find that stack's state under this name; choose another name`,
        ),
      ];
    }
    // Reported once, at the bucket whose per-bucket stack has the layout stack's name.
    if (!assignment.grouped(stack) || assignment.stackOf.indexOf(stack) !== i) return [];
    return [
      issue(
        ["replications", owner, "source", "bucket"],
        `bucket "${config.replications[owner].source.bucket}" gives the per-bucket stack name ${stack}, which the ${config.stackLayout} layout gives one of its stacks: a move between layouts would find that stack's state under this name; choose another stackLayout, or use a separate config file for this bucket`,
      ),
    ];
  });
};
