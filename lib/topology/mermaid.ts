/**
 * A picture for reviewers: accounts, buckets, replication roles and one arrow per rule, as a
 * Mermaid flowchart (GitHub renders it), so a reviewer sees what replicates where before reading
 * any JSON. Synthesis writes it to cdktf.out/topology.md; the plan summary embeds it. Every name
 * from the config goes through lib/escape/mermaid.ts: a rule id cannot close a label, the code
 * fence around the diagram, or bring HTML into it.
 */
import type { Account, BucketLocation, Model, Rule } from "../config/model";
import { markdownText } from "../escape/markdown";
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

/**
 * The Mermaid flowchart of a model (or of the stacks named). A role in a stack of several
 * replications says which stack holds it; a shared bucket says which stack owns its side.
 */
export function topologyMermaid(model: Pick<Model, "replications" | "stacks">, stacks?: readonly string[]): string {
  const held = model.stacks.filter((s) => !stacks || stacks.includes(s.name)).flatMap((s) => s.replications);
  const replications = model.replications.filter((r) => held.includes(r));
  const grouped = new Set(model.stacks.filter((s) => s.grouped).map((s) => s.name));
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
    const role = mermaidId("role", r.id);
    const stack = grouped.has(r.stackName) ? `<br/>stack ${t(r.stackName)}` : "";
    nodes.set(role, {
      account: r.source.account,
      line: `${role}{{${mermaidLabel(`role ${t(r.role.name)}${stack}`)}}}`,
    });
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

/** What a stack holds, in words: the shared destinations' sides, then each replication. */
function holds(stack: Model["stacks"][number]): string {
  return [
    ...stack.sharedDestinations.map((d) => `shared destination ${markdownText(d.destination.bucket)}`),
    ...stack.replications.map(
      (r) => `${markdownText(r.source.bucket)} → ${r.destinations.map((d) => markdownText(d.bucket)).join(", ")}`,
    ),
  ].join("; ");
}

/** The stacks of the layout, in the order to apply them, with what each holds and follows. */
export function stacksTable(model: Pick<Model, "stackLayout" | "stacks">): string[] {
  return [
    `**Stacks** (layout \`${model.stackLayout}\`), in the order to apply them:`,
    "",
    "| stack | holds | after |",
    "| --- | --- | --- |",
    ...model.stacks.map(
      (s) =>
        `| \`${s.name}\` | ${holds(s)} | ${s.dependsOn.length > 0 ? s.dependsOn.map((d) => `\`${d}\``).join(", ") : "–"} |`,
    ),
  ];
}

/** The Markdown file synthesis writes beside the stacks. */
export function topologyMarkdown(model: Pick<Model, "replications" | "stackLayout" | "stacks">): string {
  return [
    "# Replication topology",
    "",
    "Written by `npm run synth` from the config; one arrow per rule.",
    "",
    "```mermaid",
    topologyMermaid(model),
    "```",
    "",
    ...stacksTable(model),
    "",
  ].join("\n");
}
