import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchemaText } from "../../lib/config/json-schema";
import { loadConfig } from "../../lib/config/loader";

const root = process.cwd();
const configFiles = [
  "replication.config.json",
  ...readdirSync(join(root, "examples"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => `examples/${f}`),
];

describe("replication.schema.json", () => {
  test("is what `npm run schema` generates from the zod schema", () => {
    expect(readFileSync(join(root, "replication.schema.json"), "utf8")).toBe(configJsonSchemaText());
  });

  test("forbids unknown keys, as the loader does", () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.replications.items.additionalProperties).toBe(false);
  });

  test.each(configFiles)("%s references it with $schema and is valid", (file) => {
    const config = JSON.parse(readFileSync(join(root, file), "utf8"));
    const expected = file.startsWith("examples/") ? "../replication.schema.json" : "./replication.schema.json";
    expect(config.$schema).toBe(expected);
    expect(() => loadConfig(join(root, file))).not.toThrow();
  });
});
