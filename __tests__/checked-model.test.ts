// Every command that loads a config (synth, plan, adopt, doctor, operator-policy) loads it through
// lib/checked-model.ts, which adds the size limits that lib/config may not check itself.
import { loadCheckedConfig, validateCheckedConfig } from "../lib/checked-model";
import { ConfigError } from "../lib/config/config-error";
import { validateConfig } from "../lib/config/loader";
import { configWith } from "./helpers/config";
import { writeConfig } from "./helpers/synth-run";

const oversized = configWith((c) => {
  c.replications[0].rules = Array.from({ length: 60 }, (_, i) => ({
    id: `r${i}`,
    priority: i,
    filter: { prefix: `p${i}/${"x".repeat(200)}` },
    destination: { account: "backup", bucket: "my-app-data-backup" },
  }));
});

const ROLE_TOO_LARGE =
  "the replication role's inline policies would be 29,242 characters, over IAM's limit of 10,240 (whitespace not counted): each filter prefix adds its ARNs, so use fewer or shorter prefixes";

function issuesOf(load: () => unknown): string[] {
  try {
    load();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  }
}

describe("checked model", () => {
  it("refuses an already-parsed config over IAM's role policy limit (adopt validates its edit this way)", () => {
    expect(issuesOf(() => validateCheckedConfig(oversized, "test.json"))).toEqual([
      `replications.0.rules: ${ROLE_TOO_LARGE}`,
    ]);
  });

  it("refuses a config file over the limit (synth, plan, doctor and operator-policy load it this way)", () => {
    expect(issuesOf(() => loadCheckedConfig(writeConfig(oversized)))).toEqual([
      `replications.0.rules: ${ROLE_TOO_LARGE}`,
    ]);
  });

  it("leaves the sizes to this layer: lib/config alone accepts the same config", () => {
    expect(issuesOf(() => validateConfig(oversized, "test.json"))).toEqual([]);
  });
});
