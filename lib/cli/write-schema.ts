/** `npm run schema`: regenerates replication.schema.json from the zod schema. */
import { writeFileSync } from "node:fs";
import { configJsonSchemaText } from "../config/json-schema";

export const SCHEMA_FILE = "replication.schema.json";

writeFileSync(SCHEMA_FILE, configJsonSchemaText());
console.log(`wrote ${SCHEMA_FILE}`);
