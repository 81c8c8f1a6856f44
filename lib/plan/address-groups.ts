/**
 * Which part of a grouped stack each Terraform address belongs to, so that the summary of a stack
 * of a hundred buckets reads bucket by bucket. The parts are the ones model.stacks says the stack
 * holds: each replication (its source bucket) and each shared destination side. The synthesized
 * JSON records, for every resource, the construct path it was made under (cdktf's
 * `//.metadata.path`: `<stack>/<part>/...`), and each part is a construct of its own in the stack
 * (stacks/grouped-stack.ts): the replication's id, or `shared-<bucket>`.
 */
import type { StackUnit } from "../config/model";
import type { Json } from "../json";

export interface AddressGroup {
  /** What a person calls the part: the bucket it is about. */
  readonly bucket: string;
  readonly kind: "replication" | "shared destination";
  readonly addresses: ReadonlySet<string>;
}

/** The stack's parts in model order (shared destination sides first), each with its addresses. */
export type AddressGroups = readonly AddressGroup[];

/** The groups of a grouped stack's synthesized JSON; none for a stack of one replication or side. */
export function addressGroups(unit: StackUnit, synthesized: Json): AddressGroups | undefined {
  if (!unit.grouped) return undefined;
  const parts = [
    ...unit.sharedDestinations.map((d) => ({
      scope: `shared-${d.destination.bucket}`,
      bucket: d.destination.bucket,
      kind: "shared destination" as const,
    })),
    ...unit.replications.map((r) => ({ scope: r.id, bucket: r.source.bucket, kind: "replication" as const })),
  ];
  const byScope = new Map(parts.map((p) => [p.scope, new Set<string>()]));
  for (const [type, resources] of Object.entries((synthesized.resource ?? {}) as Record<string, Json>)) {
    for (const [name, resource] of Object.entries(resources as Record<string, Json>)) {
      const path = String(resource?.["//"]?.metadata?.path ?? "").split("/");
      byScope.get(path[1])?.add(`${type}.${name}`);
    }
  }
  return parts.map((p) => ({ bucket: p.bucket, kind: p.kind, addresses: byScope.get(p.scope) as Set<string> }));
}
