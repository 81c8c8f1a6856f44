/**
 * One provider plugin cache for every stack, so the AWS provider is fetched once per machine
 * instead of once per stack (hundreds of MB each).
 *
 * Terraform's plugin cache is not safe for concurrent writers: two `terraform init`s installing the
 * same provider into it race (https://github.com/hashicorp/terraform/issues/31964). And since
 * Terraform 1.4 a directory without a dependency lock file ignores the cache and downloads again
 * (https://github.com/hashicorp/terraform/pull/32129). So the first stack initializes alone and
 * fills the cache; its lock file is then given to every stack that has none (all stacks are
 * synthesized by one app and require the same providers), and those inits only link from the
 * cache, concurrently.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

export const LOCK_FILE = ".terraform.lock.hcl";

/** TF_PLUGIN_CACHE_DIR when set, else `.terraform/plugin-cache` in the project (ignored by git). */
export function pluginCacheDir(env: NodeJS.ProcessEnv, cwd: string): string {
  const dir = resolve(cwd, env.TF_PLUGIN_CACHE_DIR || join(".terraform", "plugin-cache"));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Wraps a stack's `terraform init`: until one init has succeeded they run one at a time; after
 * that, the rest get the successful stack's lock file and run freely.
 */
export function initGate(
  stackDir: (stack: string) => string,
): (stack: string, init: () => Promise<void>) => Promise<void> {
  let warmed: string | undefined;
  let attempt: Promise<void> | undefined;
  return async (stack, init) => {
    while (warmed === undefined && attempt) await attempt.catch(() => undefined);
    if (warmed !== undefined) return withLock(warmed, stack, stackDir, init);
    attempt = init()
      .then(() => {
        warmed = stack;
      })
      .finally(() => {
        attempt = undefined;
      });
    return attempt;
  };
}

function withLock(warmed: string, stack: string, stackDir: (stack: string) => string, init: () => Promise<void>) {
  const lock = join(stackDir(warmed), LOCK_FILE);
  const own = join(stackDir(stack), LOCK_FILE);
  if (existsSync(lock) && !existsSync(own)) copyFileSync(lock, own);
  return init();
}
