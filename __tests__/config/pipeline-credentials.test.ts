import type { ConfigError } from "../../lib/config/config-error";
import { validateConfig } from "../../lib/config/loader";
import { guideConfig, synthStack } from "../helpers/config";

const ROLES = JSON.stringify({
  source: "arn:aws:iam::111122223333:role/replication-deployer",
  backup: "arn:aws:iam::444455556666:role/replication-deployer",
});

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    validateConfig(guideConfig(), "test.json", env);
  } catch (error) {
    return (error as ConfigError).issues.map((i) => i.message);
  }
  return [];
}

describe("pipeline credentials", () => {
  test("replace each named account's profile with the role to assume", () => {
    const model = validateConfig(guideConfig(), "test.json", {
      REPLICATION_ROLE_ARNS: ROLES,
      REPLICATION_SESSION_NAME: "pr-42",
    });
    expect(model.replications[0].source.account.credentials).toEqual({
      roleArn: "arn:aws:iam::111122223333:role/replication-deployer",
      sessionName: "pr-42",
    });
  });

  test("synthesize providers that assume roles and name no profile", () => {
    const model = validateConfig(guideConfig(), "test.json", {
      REPLICATION_ROLE_ARNS: ROLES,
      REPLICATION_BACKEND_ROLE_ARN: "arn:aws:iam::999988887777:role/state",
    });
    expect(model.backend).toMatchObject({
      credentials: { roleArn: "arn:aws:iam::999988887777:role/state", sessionName: "replication-pipeline" },
    });
    expect(model.replications[0].destinations[0].account.credentials).toEqual({
      roleArn: "arn:aws:iam::444455556666:role/replication-deployer",
      sessionName: "replication-pipeline",
    });
  });

  test("leave the config alone without the variables", () => {
    const { json } = synthStack(guideConfig());
    expect(json.provider.aws[0].profile).toBe("source-account-profile");
  });

  test("reject malformed JSON, unknown accounts, bad ARNs and roles in the wrong account", () => {
    expect(problems({ REPLICATION_ROLE_ARNS: "source=arn" })).toEqual([
      'must be a JSON object of account name to role ARN, like {"source":"arn:aws:iam::111122223333:role/deployer"}',
    ]);
    expect(
      problems({
        REPLICATION_ROLE_ARNS: JSON.stringify({
          sorce: "arn:aws:iam::111122223333:role/x",
          backup: "role/x",
          source: "arn:aws:iam::444455556666:role/x",
        }),
        REPLICATION_BACKEND_ROLE_ARN: "state",
      }),
    ).toEqual([
      "unknown account: use one of source, backup",
      "must be an IAM role ARN like arn:aws:iam::111122223333:role/name",
      "the role is in account 444455556666, not 111122223333: name a role in that account",
      "must be an IAM role ARN like arn:aws:iam::111122223333:role/name",
    ]);
  });

  test("name the variable in the error path", () => {
    try {
      validateConfig(guideConfig(), "test.json", { REPLICATION_ROLE_ARNS: '{"nope":"x"}' });
    } catch (error) {
      expect((error as Error).message).toContain("  - $REPLICATION_ROLE_ARNS.nope: unknown account");
      return;
    }
    throw new Error("expected a ConfigError");
  });
});
