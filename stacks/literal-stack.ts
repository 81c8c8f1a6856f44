import { TerraformStack } from "cdktf";

/**
 * A stack whose elements hold no cross-stack references: every ARN and policy is a literal, and
 * stacks are ordered with addDependency, not with tokens. cdktf resolves every element twice, the
 * first time only to discover such references; that pass is skipped here (measured: a third of
 * synth time at 500 stacks). The determinism and address tests compare the output.
 */
export class LiteralStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
