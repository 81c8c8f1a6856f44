import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runAdoptCommand } from "../../lib/cli/adopt-command";
import { runApplyCommand } from "../../lib/cli/apply-command";
import { runOps } from "../../lib/cli/ops-program";
import { runPlanCommand } from "../../lib/cli/plan-command";
import type { CommandResult } from "../../lib/plan/run-plan";
import { type RecordingServer, recordingServer } from "../helpers/recording-server";
import { tempDir } from "../helpers/synth-run";

const DEFAULT_CONFIG = join(process.cwd(), "replication.config.json");
const warning = (from: string, url: string) =>
  `warning: ${from} sends AWS requests, signed with your credentials, to ${url}, which is not an AWS endpoint: what it answers is taken for AWS's answer, a NoSuchBucket for a bucket that does not exist`;

let server: RecordingServer;
beforeAll(async () => {
  server = await recordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** The default config's profiles, with static keys and the given AWS config file text. */
function envWith(configText: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = tempDir();
  writeFileSync(join(dir, "config"), configText);
  writeFileSync(
    join(dir, "credentials"),
    ["source-account-profile", "destination-account-profile"]
      .map((p) => `[${p}]\naws_access_key_id = test\naws_secret_access_key = test\n`)
      .join(""),
  );
  return {
    AWS_CONFIG_FILE: join(dir, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    REPLICATION_CONFIG: DEFAULT_CONFIG,
    CDKTF_OUTDIR: join(dir, "cdktf.out"),
    TF_PLUGIN_CACHE_DIR: join(dir, "plugin-cache"),
    ...extra,
  };
}

async function ops(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  let code = -1;
  await runOps(argv, {
    env,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    exit: (c) => {
      code = c;
    },
  });
  return { code, stdout: out.join("\n"), stderr: err };
}

const COMMANDS = { plan: runPlanCommand, apply: runApplyCommand, adopt: runAdoptCommand };

async function plan(argv: string[], env: NodeJS.ProcessEnv, command: keyof typeof COMMANDS = "plan") {
  const terraform: string[] = [];
  const err: string[] = [];
  const code = await COMMANDS[command](argv, {
    env,
    stdout: () => {},
    stderr: (t) => err.push(t),
    run: async (command, args): Promise<CommandResult> => {
      terraform.push(`${command} ${args.join(" ")}`);
      return { code: 1, stdout: "", stderr: "not run in this test" };
    },
  });
  return { code, stderr: err, terraform };
}

describe("doctor, backfill and status: the endpoint their requests go to", () => {
  test("a non-AWS endpoint is named once on stderr, however many clients use it", async () => {
    const result = await ops(
      ["--json", "doctor", "replication-my-app-data-prod"],
      envWith("", { AWS_ENDPOINT_URL: server.url }),
    );
    expect(server.requests.length).toBeGreaterThan(0);
    expect(result.stderr.filter((l) => l.startsWith("warning:"))).toEqual([warning("AWS_ENDPOINT_URL", server.url)]);
  });

  test("plain http:// to another host is refused before any request (exit 2)", async () => {
    const env = envWith("[profile destination-account-profile]\nendpoint_url = http://192.0.2.10:4566\n");
    const result = await ops(["doctor", "replication-my-app-data-prod"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toEqual([
      "error: endpoint_url of profile destination-account-profile is http://192.0.2.10:4566: plain http:// would send your signed requests and session token unencrypted to 192.0.2.10. Use https://, or an emulator on 127.0.0.1, ::1 or localhost (plain http:// is accepted only there)\nsee help/troubleshooting.md#the-tools-cannot-reach-aws-or-the-endpoint",
    ]);
  });
});

describe("npm run plan, apply and adopt: the endpoints Terraform and the checks will use", () => {
  test.each([["plan"], ["apply"], ["adopt"]] as const)(
    "%s refuses plain http:// to another host, naming the setting, before Terraform runs",
    async (command) => {
      const result = await plan([], envWith("", { AWS_ENDPOINT_URL_SNS: "http://sns.internal:8080" }), command);
      expect(result.code).toBe(2);
      expect(result.stderr.at(-1)).toBe(
        "AWS_ENDPOINT_URL_SNS is http://sns.internal:8080: plain http:// would send your signed requests and session token unencrypted to sns.internal. Use https://, or an emulator on 127.0.0.1, ::1 or localhost (plain http:// is accepted only there)",
      );
      expect(result.terraform).toEqual([]);
      expect(server.requests).toEqual([]);
    },
  );

  test("plan names each non-AWS endpoint of the config's profiles once, before anything is planned", async () => {
    const env = envWith(
      `[profile source-account-profile]\nendpoint_url = ${server.url}\n[profile destination-account-profile]\nendpoint_url = ${server.url}\n`,
      { AWS_ENDPOINT_URL_CLOUDWATCH: "https://monitoring.proxy.example.com" },
    );
    const result = await plan([], env);
    expect(result.stderr.filter((l) => l.startsWith("warning:"))).toEqual([
      warning("AWS_ENDPOINT_URL_CLOUDWATCH", "https://monitoring.proxy.example.com"),
      warning("endpoint_url of profile source-account-profile", server.url),
    ]);
    expect(result.stderr.findIndex((l) => l.startsWith("warning:"))).toBeLessThan(
      result.stderr.findIndex((l) => /^plan: /.test(l)),
    );
  });
});
