import { z } from "zod";
import { configSchema } from "./schema";

/** The JSON Schema editors use to complete and check config files (replication.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" }),
    title: "S3 cross-account replication config",
  };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
