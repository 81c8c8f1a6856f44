/**
 * When the schema refuses a config, the cross-field checks still run on the parts that passed
 * it, so a person sees every problem in one pass. An account entry that fails the schema is left
 * out (and references to it are not reported again as unknown), an invalid backend counts as
 * local state, invalid tags as none, and a replication entry that fails the schema is left out
 * (its index is mapped back in the paths and messages of what the checks report).
 */
import type { ConfigIssue } from "./config-error";
import { accountSchema, backendSchema, type Config, configSchema, replicationSchema } from "./schema";

export interface PartialConfig {
  readonly config: Config;
  /** Maps the checks' issues about the partial config back to the file's indices. */
  readonly issues: (issues: readonly ConfigIssue[]) => ConfigIssue[];
}

export function partialConfig(value: unknown): PartialConfig | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  if (raw.accounts === null || typeof raw.accounts !== "object" || Array.isArray(raw.accounts)) return undefined;
  const accounts: Config["accounts"] = {};
  const dropped: string[] = [];
  for (const [name, entry] of Object.entries(raw.accounts)) {
    const parsed = accountSchema.safeParse(entry);
    const nameOk = configSchema.shape.accounts.safeParse({ [name]: entry }).success;
    if (parsed.success && nameOk) accounts[name] = parsed.data;
    else dropped.push(name);
  }
  const backend = backendSchema.safeParse(raw.backend);
  const tags = configSchema.shape.tags.safeParse(raw.tags);
  const sharedDestinations = configSchema.shape.sharedDestinations.safeParse(raw.sharedDestinations);
  const stackLayout = configSchema.shape.stackLayout.safeParse(raw.stackLayout);
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
      accounts,
      tags: tags.success ? tags.data : {},
      sharedDestinations: sharedDestinations.success ? sharedDestinations.data : {},
      stackLayout: stackLayout.success ? stackLayout.data : "per-bucket",
      replications,
    },
    issues: (issues) =>
      issues
        .filter((issue) => !dropped.some((name) => issue.message.startsWith(`unknown account "${name}"`)))
        .map((issue) => ({
          path:
            issue.path[0] === "replications" && typeof issue.path[1] === "number"
              ? ["replications", original(issue.path[1]), ...issue.path.slice(2)]
              : issue.path,
          message: issue.message.replace(/replications\[(\d+)\]/g, (_, i) => `replications[${original(Number(i))}]`),
        })),
  };
}
