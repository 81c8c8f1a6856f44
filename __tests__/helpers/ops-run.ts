import { runOps } from "../../lib/cli/ops-program";
import { mockedAccounts } from "./aws-mocks";

/** `npm run doctor|backfill|status` on a config file, with mocked accounts; what it printed and its exit code. */
export async function opsRun(config: string, args: string[], aws = mockedAccounts()) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let code = -1;
  await runOps(["--config", config, ...args], {
    env: {},
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    isTTY: false,
    exit: (c) => {
      code = c;
    },
    clients: () => aws.clients,
    sleep: async () => {},
  });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n"), aws };
}
