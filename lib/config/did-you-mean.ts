/** Suggestions for misspelt keys, read from the generated JSON Schema. */

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The keys the schema allows for the object at `path` in `value`. */
export function allowedKeysAt(schema: JsonSchema, path: ReadonlyArray<string | number>, value: unknown): string[] {
  let nodes: JsonSchema[] = [schema];
  let current: unknown = value;
  for (const segment of path) {
    const next: JsonSchema[] = [];
    for (const node of nodes.flatMap((n) => [n, ...(n.oneOf ?? []), ...(n.anyOf ?? [])])) {
      if (typeof segment === "number" && node.items) next.push(node.items);
      if (typeof segment === "string") {
        const property = node.properties?.[segment];
        if (property) next.push(property);
        else if (typeof node.additionalProperties === "object") next.push(node.additionalProperties);
      }
    }
    nodes = next;
    current = (current as Record<string | number, unknown> | undefined)?.[segment];
  }
  const discriminator = (current as { type?: unknown } | undefined)?.type;
  const keys = nodes
    .flatMap((n) => [n, ...(n.oneOf ?? []), ...(n.anyOf ?? [])])
    .filter((n) => {
      const type = n.properties?.type as { const?: unknown } | undefined;
      return type?.const === undefined || type.const === discriminator;
    })
    .flatMap((n) => Object.keys(n.properties ?? {}));
  return [...new Set(keys)];
}

/** The closest allowed key, when one is close enough to be a likely typo. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(key, candidate);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  if (!best) return undefined;
  const threshold = Math.max(2, Math.floor(key.length / 3));
  return best.distance <= threshold ? best.key : undefined;
}
