import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, formatPath } from "../../lib/config/config-error";
import { configFileFromEnv, DEFAULT_CONFIG_FILE, loadConfig } from "../../lib/config/loader";
import { guideConfig } from "../helpers/config";
import { tempDir, writeConfig } from "../helpers/synth-run";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config loader", () => {
  test("reads REPLICATION_CONFIG, else the embedded default", () => {
    expect(configFileFromEnv({})).toBe(DEFAULT_CONFIG_FILE);
    expect(configFileFromEnv({ REPLICATION_CONFIG: " examples/x.json " })).toBe("examples/x.json");
    expect(configFileFromEnv({ REPLICATION_CONFIG: "" })).toBe(DEFAULT_CONFIG_FILE);
  });

  test("loads a valid file into a model", () => {
    const model = loadConfig(writeConfig(guideConfig()));
    expect(model.replications.map((r) => r.stackName)).toEqual(["replication-my-app-data-prod"]);
  });

  test("says which file does not exist and how to fix it", () => {
    const file = join(tempDir(), "missing.json");
    expect(messageOf(() => loadConfig(file))).toBe(
      `${file}: 1 problem; nothing was synthesized.\n` +
        "  - (top level): cannot read the config file (the file does not exist): create it, or point REPLICATION_CONFIG at an existing file",
    );
  });

  test("says when the path is a directory", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "config.json"));
    expect(messageOf(() => loadConfig(join(dir, "config.json")))).toContain(
      "cannot read the config file (it is a directory, not a file)",
    );
  });

  test("points at the line and column of invalid JSON", () => {
    const file = writeConfig('{\n  "backend": {\n    "type": "local",\n  }\n}\n');
    expect(messageOf(() => loadConfig(file))).toMatch(
      /\(top level\): the file is not valid JSON at line 4, column 3 \(.+\): fix the syntax there$/,
    );
  });

  test("reads a file saved with a byte-order mark", () => {
    const file = writeConfig(`\uFEFF${JSON.stringify(guideConfig())}`);
    expect(loadConfig(file).replications).toHaveLength(1);
  });

  test("rejects a file that holds no object", () => {
    expect(messageOf(() => loadConfig(writeConfig("[]")))).toContain("(top level): must be an object, not an array");
  });

  test("formats JSON paths for people", () => {
    expect(formatPath([])).toBe("(top level)");
    expect(formatPath(["replications", 0, "rules", 2, "id"])).toBe("replications[0].rules[2].id");
    expect(formatPath(["replications", 0, "destinationPolicies", "my-bucket"])).toBe(
      'replications[0].destinationPolicies["my-bucket"]',
    );
  });
});
