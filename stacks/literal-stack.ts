import { TerraformElement, TerraformStack } from "cdktf";
import { escapeTemplateText } from "../lib/terraform-template";

/** cdktf's marker of an unresolved string token: `${TfToken[TOKEN.12]}`. */
const STRING_TOKEN = /(\$\{TfToken\[[a-zA-Z0-9:._-]+\]\})/;

/** Escapes the literal text of a string, leaving cdktf's token markers to be resolved. */
function escapeLiteralText(text: string): string {
  // Most strings hold neither: skip the split (measured: the walk costs a tenth of synth time).
  if (!text.includes("${") && !text.includes("%{")) return text;
  return text
    .split(STRING_TOKEN)
    .map((part, i) => (i % 2 === 1 ? part : escapeTemplateText(part)))
    .join("");
}

function escapeLiterals(value: unknown): unknown {
  if (typeof value === "string") return escapeLiteralText(value);
  if (Array.isArray(value)) return value.map(escapeLiterals);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeLiteralText(k), escapeLiterals(v)]));
  }
  return value;
}

/**
 * A stack whose elements hold no cross-stack references: every ARN and policy is a literal, and
 * stacks are ordered with addDependency, not with tokens. cdktf resolves every element twice, the
 * first time only to discover such references; that pass is skipped here (measured: a third of
 * synth time at 500 stacks). The determinism and address tests compare the output.
 *
 * It is also the one place where text becomes Terraform JSON: every literal string and key of
 * every element is escaped for Terraform's template syntax before cdktf resolves the tokens, so
 * config text (a prefix, a tag, a policy statement) reaches AWS as written and is never evaluated,
 * while the project's own references (tokens such as a created key's ARN) stay expressions. The
 * loader refuses config text that holds cdktf's token marker, which would otherwise pass as one.
 */
export class LiteralStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  // biome-ignore lint/suspicious/noExplicitAny: cdktf's own signature
  override toTerraform(): any {
    return this.withEscapedElements("toTerraform", () => super.toTerraform());
  }

  /** The HCL rendering (`npm run synth:hcl`) escapes the same text the same way. */
  // biome-ignore lint/suspicious/noExplicitAny: cdktf's own signature
  override toHclTerraform(): any {
    return this.withEscapedElements("toHclTerraform", () => super.toHclTerraform());
  }

  /** Runs `render` while every element's `method` returns its output with literal text escaped. */
  private withEscapedElements<T>(method: "toTerraform" | "toHclTerraform", render: () => T): T {
    const elements = this.node
      .findAll()
      .filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c) && c.cdktfStack === this);
    for (const element of elements) {
      const original = element[method];
      Object.defineProperty(element, method, {
        configurable: true,
        value: () => escapeLiterals(original.call(element)),
      });
    }
    try {
      return render();
    } finally {
      for (const element of elements) delete (element as Partial<Record<typeof method, unknown>>)[method];
    }
  }
}
