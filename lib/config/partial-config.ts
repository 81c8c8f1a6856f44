/**
 * When the schema refuses a config, the cross-field checks still run on the parts that passed
 * it, so a person sees every problem in one pass. The checks need every account, so they run
 * only when all of "accounts" is valid; an invalid backend counts as local state, invalid tags
 * as none, and a replication entry that fails the schema is left out (its index is mapped back
 * in the paths and messages of what the checks report).
 */
import type { ConfigIssue } from "./config-error";
import { backendSchema, type Config, configSchema, replicationSchema } from "./schema";

export interface PartialConfig {
  readonly config: Config;
  /** Maps the checks' issues about the partial config back to the file's indices. */
  readonly issues: (issues: readonly ConfigIssue[]) => ConfigIssue[];
}

export function partialConfig(value: unknown): PartialConfig | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const accounts = configSchema.shape.accounts.safeParse(raw.accounts);
  if (!accounts.success) return undefined;
  const backend = backendSchema.safeParse(raw.backend);
  const tags = configSchema.shape.tags.safeParse(raw.tags);
  const sharedDestinations = configSchema.shape.sharedDestinations.safeParse(raw.sharedDestinations);
  const kept: number[] = [];
  const replications = (Array.isArray(raw.replications) ? raw.replications : []).flatMap((r, i) => {
    const parsed = replicationSchema.safeParse(r);
    if (!parsed.success) return [];
    kept.push(i);
    return [parsed.data];
  });
  const original = (index: number) => kept[index] ?? index;
  return {
    config: {
      backend: backend.success ? backend.data : { type: "local" },
      accounts: accounts.data,
      tags: tags.success ? tags.data : {},
      sharedDestinations: sharedDestinations.success ? sharedDestinations.data : {},
      replications,
    },
    issues: (issues) =>
      issues.map((issue) => ({
        path:
          issue.path[0] === "replications" && typeof issue.path[1] === "number"
            ? ["replications", original(issue.path[1]), ...issue.path.slice(2)]
            : issue.path,
        message: issue.message.replace(/replications\[(\d+)\]/g, (_, i) => `replications[${original(Number(i))}]`),
      })),
  };
}
