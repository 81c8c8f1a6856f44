/**
 * docs/security.md's "What the policies grant, and why" must match the JSON statement by statement:
 * the default config's documents are quoted there in full, and every Sid the stacks write for
 * the shipped examples is explained there.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { PolicyJson, TerraformJson } from "../helpers/config";
import { sectionOf } from "../helpers/markdown-docs";
import { stacksOf } from "../helpers/synth-run";

const section = sectionOf("docs/security.md", "## What the policies grant, and why");

/** The policy documents of a stack, parsed from their JSON text. */
function documentsOf(json: TerraformJson): PolicyJson[] {
  return Object.values(json.resource).flatMap((byName) =>
    Object.values(byName).flatMap((resource) =>
      ["policy", "assume_role_policy"]
        .filter((a) => typeof resource[a] === "string")
        .map((a) => JSON.parse(resource[a] as string)),
    ),
  );
}

describe("docs/security.md: what the policies grant, and why", () => {
  test("quotes the default config's role policy and bucket policy exactly", () => {
    const json = stacksOf("replication.config.json")["replication-my-app-data-prod"];
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(`[${m[1]}]`));
    expect(blocks).toEqual([
      JSON.parse(json.resource.aws_iam_role_policy.replication.policy as string).Statement,
      JSON.parse(json.resource.aws_s3_bucket_policy["destination_my-app-data-backup"].policy as string).Statement,
    ]);
  });

  test("explains every Sid the stacks write for the shipped examples", () => {
    const configs = [
      "replication.config.json",
      ...readdirSync(join(process.cwd(), "examples"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => `examples/${f}`),
    ];
    const sids = new Set(
      configs.flatMap((config) =>
        Object.values(stacksOf(config)).flatMap((json) =>
          documentsOf(json).flatMap((policy) => policy.Statement.map((s) => s.Sid ?? "")),
        ),
      ),
    );
    // A numbered Sid is explained as `Name<n>`; a per-account one by its name (the README says the account id follows).
    const unexplained = [...sids].filter(
      (sid) =>
        sid &&
        ![`\`${sid}\``, `\`${sid.replace(/\d+$/, "")}<n>\``, `\`${sid.replace(/\d{12}$/, "")}\``].some((name) =>
          section.includes(name),
        ),
    );
    expect(sids.size).toBeGreaterThan(15);
    expect(unexplained).toEqual([]);
  });
});
