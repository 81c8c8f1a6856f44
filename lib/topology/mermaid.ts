/**
 * A picture for reviewers: accounts, buckets, replication roles and one arrow per rule, as a
 * Mermaid flowchart (GitHub renders it), so a reviewer sees what replicates where before reading
 * any JSON. Synthesis writes it to cdktf.out/topology.md; the plan summary embeds it. Every name
 * from the config goes through lib/escape/mermaid.ts: a rule id cannot close a label, the code
 * fence around the diagram, or bring HTML into it.
 */
import type { Account, BucketLocation, Model, Rule } from "../config/model";
import { mermaidId, mermaidLabel, mermaidText } from "../escape/mermaid";

const t = mermaidText;

/** The reviewer's picture of the config, beside the stacks (synth writes it, the plan summary embeds it). */
export const TOPOLOGY_FILE = "topology.md";

/** What a rule does, in the words of its arrow (escaped for a Mermaid label). */
export function ruleLabel(rule: Rule): string {
  const { prefix, tags } = rule.filter;
  const scope = [...(prefix ? [`prefix ${t(prefix)}`] : []), ...tags.map(([k, v]) => `tag ${t(k)}=${t(v)}`)];
  const parts = [
    `${t(rule.id)} (priority ${rule.priority})`,
    scope.length > 0 ? scope.join(" + ") : "all objects",
    rule.deleteMarkerReplication ? "delete markers" : "no delete markers",
    ...(rule.ownerOverride
      ? ["owner override"]
      : rule.destination.objectOwnership === "BucketOwnerEnforced"
        ? ["destination owns (BucketOwnerEnforced)"]
        : ["source keeps ownership"]),
    ...(rule.replicateSseKms ? ["SSE-KMS"] : []),
    ...(rule.replicationTimeMinutes ? [`RTC ${rule.replicationTimeMinutes} min`] : []),
    ...(rule.metrics && !rule.replicationTimeMinutes ? ["metrics"] : []),
    ...(rule.replicaModifications ? ["replica modification sync"] : []),
    ...(rule.storageClass ? [`as ${t(rule.storageClass)}`] : []),
    ...(rule.enabled ? [] : ["DISABLED"]),
  ];
  return parts.join(" · ");
}

interface Node {
  readonly account: Account;
  readonly line: string;
}

/** The Mermaid flowchart of a model (or of the stacks named). */
export function topologyMermaid(model: Pick<Model, "replications">, stacks?: readonly string[]): string {
  const replications = model.replications.filter((r) => !stacks || stacks.includes(r.stackName));
  const nodes = new Map<string, Node>();
  const edges: string[] = [];
  const bucketNode = (b: BucketLocation & { sharedBy?: string }, created: boolean) => {
    const key = mermaidId("bucket", b.bucket);
    if (!nodes.has(key)) {
      const owner = b.sharedBy ? `<br/>shared: owned by ${t(b.sharedBy)}` : "";
      const text = `${t(b.bucket)}<br/>${t(b.region)}${created ? " · created" : ""}${b.objectLock ? " · Object Lock" : ""}${owner}`;
      nodes.set(key, { account: b.account, line: `${key}[(${mermaidLabel(text)})]` });
    }
    return key;
  };
  for (const r of replications) {
    const source = bucketNode(r.source, r.source.create);
    const role = mermaidId("role", r.stackName);
    nodes.set(role, { account: r.source.account, line: `${role}{{${mermaidLabel(`role ${t(r.role.name)}`)}}}` });
    edges.push(`${role} -. ${mermaidLabel("assumed by S3")} .-> ${source}`);
    for (const rule of r.rules) {
      const destination = bucketNode(rule.destination, rule.destination.create);
      edges.push(`${source} -- ${mermaidLabel(ruleLabel(rule))} --> ${destination}`);
    }
  }
  const accounts = new Map<string, { account: Account; lines: string[] }>();
  for (const node of nodes.values()) {
    const entry = accounts.get(node.account.accountId) ?? { account: node.account, lines: [] };
    entry.lines.push(node.line);
    accounts.set(node.account.accountId, entry);
  }
  const lines = ["flowchart LR"];
  for (const { account, lines: inner } of accounts.values()) {
    const label = mermaidLabel(`${t(account.name)} · ${t(account.accountId)}`);
    lines.push(`  subgraph ${mermaidId("account", account.accountId)}[${label}]`);
    lines.push(...inner.map((l) => `    ${l}`), "  end");
  }
  lines.push(...edges.map((e) => `  ${e}`));
  return lines.join("\n");
}

/** The Markdown file synthesis writes beside the stacks. */
export function topologyMarkdown(model: Pick<Model, "replications">): string {
  return [
    "# Replication topology",
    "",
    "Written by `npm run synth` from the config; one arrow per rule.",
    "",
    "```mermaid",
    topologyMermaid(model),
    "```",
    "",
  ].join("\n");
}
