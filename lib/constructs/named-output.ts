import { TerraformOutput, type TerraformOutputConfig } from "cdktf";
import type { Construct } from "constructs";

/**
 * An output whose Terraform name is `name`, wherever it is built: inside a grouped stack each
 * replication builds in a scope of its own, which cdktf would otherwise prefix to the name.
 */
export function namedOutput(scope: Construct, name: string, config: TerraformOutputConfig): TerraformOutput {
  const output = new TerraformOutput(scope, name, config);
  output.overrideLogicalId(name);
  return output;
}
