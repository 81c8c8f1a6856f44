// `npm run sandbox`: what can be checked offline (its arguments, the environment it prints, the
// prerequisites it names). Starting it is the hand-timed smoke run in the README's Sandbox section.
import { join, resolve } from "node:path";
import { parseSandboxArguments } from "../../scripts/sandbox/arguments";
import { DEAD_PROXY, exportLines, sandboxVariables, unsetLine } from "../../scripts/sandbox/environment";
import { PYTHON_MISSING, sandboxPrerequisites } from "../../scripts/sandbox/prerequisites";
import { tempDir } from "../helpers/synth-run";

const ROOT = resolve(__dirname, "../..");

describe("sandbox arguments", () => {
  it("starts the guide's config in .sandbox by default", () => {
    expect(parseSandboxArguments([], ROOT)).toEqual({
      action: "start",
      dir: join(ROOT, ".sandbox"),
      example: "replication.config",
      config: join(ROOT, "replication.config.json"),
    });
  });

  it("starts an example of examples/ by name, in another directory", () => {
    expect(parseSandboxArguments(["start", "--example", "kms", "--dir", "/tmp/sb"], ROOT)).toEqual({
      action: "start",
      dir: "/tmp/sb",
      example: "kms",
      config: join(ROOT, "examples", "kms.json"),
    });
  });

  it("stops", () => {
    expect(parseSandboxArguments(["stop"], ROOT)).toEqual({ action: "stop", dir: join(ROOT, ".sandbox") });
  });

  it.each([
    [
      ["--example", "nope"],
      "--example nope: no such example; use one of replication.config, backup-vault, central-log-archive, fan-out, kms, local-try-out, log-archive-one-stack, new-buckets, org-log-archive, pipeline-assume-role, rtc-monitoring, two-way",
    ],
    [["--example", "../package"], "--example ../package: no such example; use one of"],
    [["restart"], 'unknown action "restart": use start or stop'],
    [["start", "stop"], "one action at a time: got start stop"],
    [["stop", "--example", "kms"], "--example is for start: stop takes only --dir"],
    [["--region", "x"], "Unknown option '--region'"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseSandboxArguments(argv, ROOT)).toThrow(message);
  });
});

describe("sandbox environment", () => {
  const variables = sandboxVariables("/p/.sandbox", "http://127.0.0.1:4566", "/p/.sandbox/replication.config.json");

  it("points every AWS client at the emulator, Terraform at the mirror, and everything else at a dead proxy", () => {
    expect(variables).toEqual([
      ["AWS_ENDPOINT_URL", "http://127.0.0.1:4566"],
      ["AWS_CONFIG_FILE", "/p/.sandbox/aws-config"],
      ["AWS_SHARED_CREDENTIALS_FILE", "/p/.sandbox/aws-credentials"],
      ["AWS_EC2_METADATA_DISABLED", "true"],
      ["TF_CLI_CONFIG_FILE", "/p/.sandbox/terraformrc"],
      ["CHECKPOINT_DISABLE", "1"],
      ["TF_PLUGIN_CACHE_DIR", "/p/.sandbox/plugin-cache"],
      ["CDKTF_OUTDIR", "/p/.sandbox/cdktf.out"],
      ["REPLICATION_CONFIG", "/p/.sandbox/replication.config.json"],
      ["HTTPS_PROXY", "http://127.0.0.1:9"],
      ["HTTP_PROXY", "http://127.0.0.1:9"],
      ["NO_PROXY", "127.0.0.1,localhost"],
      ["NODE_USE_ENV_PROXY", "1"],
    ]);
    expect(DEAD_PROXY).toBe("http://127.0.0.1:9");
  });

  it("prints shell lines that first drop the machine's own credentials, profiles and role map", () => {
    const lines = exportLines([
      ["AWS_ENDPOINT_URL", "http://127.0.0.1:4566"],
      ["CDKTF_OUTDIR", "/home/o'brien/.sandbox/cdktf.out"],
    ]);
    expect(lines).toEqual([
      "unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_REGION AWS_DEFAULT_REGION AWS_IGNORE_CONFIGURED_ENDPOINT_URLS REPLICATION_ROLE_ARNS",
      "export AWS_ENDPOINT_URL='http://127.0.0.1:4566'",
      `export CDKTF_OUTDIR='/home/o'"'"'brien/.sandbox/cdktf.out'`,
    ]);
  });

  it("tells the shell what to forget when it stops", () => {
    expect(
      unsetLine([
        ["AWS_ENDPOINT_URL", "x"],
        ["HTTPS_PROXY", "y"],
      ]),
    ).toBe("unset AWS_ENDPOINT_URL HTTPS_PROXY");
  });
});

describe("sandbox prerequisites", () => {
  it("names a missing python3 with its install step", () => {
    expect(sandboxPrerequisites(tempDir(), { PATH: "/nonexistent" }).missing).toContainEqual(
      "python3: not on PATH. Install Python 3.11 (Debian/Ubuntu: `apt-get install python3 python3-pip`; macOS: `brew install python@3.11`), then `npm run e2e:emulator` for moto",
    );
    expect(PYTHON_MISSING).toMatch(/^python3: not on PATH/);
  });

  it("names an empty provider mirror with the end-to-end test's words", () => {
    const mirror = join(tempDir(), "empty-mirror");
    expect(sandboxPrerequisites(mirror).missing).toContainEqual(
      `the hashicorp/aws provider: none in the filesystem mirror ${mirror}. Fill it with \`terraform providers mirror ${mirror}\` in a synthesized stack directory (needs the registry once), or point E2E_PROVIDER_MIRROR at a mirror`,
    );
  });
});
