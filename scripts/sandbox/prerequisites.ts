/**
 * What the sandbox needs on the machine, each with its install step: python3 here, then the
 * end-to-end test's own list (Terraform 1.10+, hashicorp/aws in the filesystem mirror, moto).
 */
import { spawnSync } from "node:child_process";
import { checkPrerequisites } from "../../__tests__/e2e/prerequisites";

export const PYTHON_MISSING =
  "python3: not on PATH. Install Python 3.11 (Debian/Ubuntu: `apt-get install python3 python3-pip`; macOS: `brew install python@3.11`), then `npm run e2e:emulator` for moto";

export interface SandboxPrerequisites {
  readonly missing: readonly string[];
  readonly providerVersions: readonly string[];
}

/** `env` is where python3 is looked for (its PATH); the e2e's checks use this process's. */
export function sandboxPrerequisites(mirror: string, env: NodeJS.ProcessEnv = process.env): SandboxPrerequisites {
  const python = spawnSync("python3", ["--version"], { encoding: "utf8", env });
  const e2e = checkPrerequisites(mirror);
  return {
    missing: [...(python.status !== 0 || python.error ? [PYTHON_MISSING] : []), ...e2e.missing],
    providerVersions: e2e.providerVersions,
  };
}
