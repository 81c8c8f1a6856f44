/**
 * What a saved plan file holds besides the plan: Terraform writes a zip archive with the
 * configuration it planned (`tfconfig/m-/<file>` for the root module, byte for byte) and the
 * dependency lock file (`.terraform.lock.hcl`), and `terraform apply <planfile>` applies that
 * embedded configuration, not the directory's. So the apply check reads them from the archive.
 * (Measured with Terraform 1.11: `unzip -l` of a plan lists tfplan, tfstate, tfstate-prev,
 * tfconfig/m-/main.tf.json, tfconfig/modules.json and .terraform.lock.hcl.)
 * @see https://developer.hashicorp.com/terraform/cli/commands/apply#saved-plan-mode
 */
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";

export interface PlanArchive {
  /** The root module's configuration files, by file name. */
  readonly rootFiles: ReadonlyMap<string, Uint8Array>;
  /** Configuration files of other modules (the stacks have none), by archive path. */
  readonly moduleFiles: readonly string[];
  /** The dependency lock file the plan was made with, if any. */
  readonly lock?: Uint8Array;
}

const ROOT = "tfconfig/m-/";

/** Reads a plan file; undefined when it is not a Terraform plan archive. */
export function readPlanArchive(file: string): PlanArchive | undefined {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(file));
  } catch {
    return undefined;
  }
  if (!entries.tfplan) return undefined;
  const rootFiles = new Map<string, Uint8Array>();
  const moduleFiles: string[] = [];
  for (const [path, bytes] of Object.entries(entries)) {
    if (!path.startsWith("tfconfig/") || path.endsWith("/") || path === "tfconfig/modules.json") continue;
    const name = path.slice(ROOT.length);
    if (path.startsWith(ROOT) && !name.includes("/")) rootFiles.set(name, bytes);
    else moduleFiles.push(path);
  }
  return { rootFiles, moduleFiles, lock: entries[".terraform.lock.hcl"] };
}
