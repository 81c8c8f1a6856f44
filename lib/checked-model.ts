/**
 * A config loaded as every command needs it: validated by lib/config, then its documents measured
 * against AWS's size limits (policy-sizes.ts), which needs the policy builders that lib/config may
 * not import. A config over a limit fails here, before anything is synthesized or called, with the
 * same ConfigError as any other problem of the file.
 */
import { ConfigError } from "./config/config-error";
import { loadConfig, validateConfig } from "./config/loader";
import type { Model } from "./config/model";
import { policySizeIssues } from "./policy-sizes";

function withinLimits(model: Model, file: string): Model {
  const issues = policySizeIssues(model);
  if (issues.length > 0) throw new ConfigError(file, issues);
  return model;
}

/** loadConfig, then the size limits: every problem of the file as one ConfigError. */
export function loadCheckedConfig(file: string, env: NodeJS.ProcessEnv = {}): Model {
  return withinLimits(loadConfig(file, env), file);
}

/** validateConfig (already-parsed config), then the size limits. */
export function validateCheckedConfig(value: unknown, file: string, env: NodeJS.ProcessEnv = {}): Model {
  return withinLimits(validateConfig(value, file, env), file);
}
