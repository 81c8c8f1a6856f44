import fc from "fast-check";
import type { Model } from "../../lib/config/model";
import type { ConfigInput } from "../../lib/config/schema";
import { generatedConfig } from "../fuzz/config-fuzz";
import { configWith, exampleConfig, guideConfig, modelOf, problemsOf } from "../helpers/config";

type Layout = "per-bucket" | "per-account" | "single";

function withLayout(config: ConfigInput, layout: Layout): ConfigInput {
  return { ...structuredClone(config), stackLayout: layout };
}

/** Each stack as name -> what it holds and follows, for literal comparisons. */
function stacksOf(model: Model) {
  return model.stacks.map((s) => ({
    name: s.name,
    grouped: s.grouped,
    replications: s.replications.map((r) => r.id),
    shared: s.sharedDestinations.map((d) => d.destination.bucket),
    providers: s.providers.map((p) => `${p.alias}=${p.account.accountId}/${p.region}`),
    dependsOn: s.dependsOn,
  }));
}

/** A second source bucket in the guide's source account, replicating into its own backup. */
function twoSources(): ConfigInput {
  return configWith((c) => {
    c.replications.push({
      source: { account: "source", bucket: "my-app-logs-prod" },
      rules: [
        {
          id: "logs",
          priority: 1,
          deleteMarkerReplication: false,
          destination: { account: "backup", bucket: "my-app-logs-backup" },
        },
      ],
    });
  });
}

describe("stack layout", () => {
  describe("stacks", () => {
    test("per-bucket is the default: one stack per source bucket, named by its id", () => {
      const model = modelOf(guideConfig());
      expect(model.stackLayout).toBe("per-bucket");
      expect(stacksOf(model)).toEqual([
        {
          name: "replication-my-app-data-prod",
          grouped: false,
          replications: ["replication-my-app-data-prod"],
          shared: [],
          providers: ["source=111122223333/us-east-1", "destination=444455556666/us-west-2"],
          dependsOn: [],
        },
      ]);
      expect(model.replications[0].stackName).toBe(model.replications[0].id);
    });

    test("per-account groups the source buckets of one account, with one provider per account and Region", () => {
      const model = modelOf(withLayout(twoSources(), "per-account"));
      expect(stacksOf(model)).toEqual([
        {
          name: "replication-account-source",
          grouped: true,
          replications: ["replication-my-app-data-prod", "replication-my-app-logs-prod"],
          shared: [],
          providers: ["source_us_east_1=111122223333/us-east-1", "backup_us_west_2=444455556666/us-west-2"],
          dependsOn: [],
        },
      ]);
    });

    test("per-account keeps a shared destination in its own stack, applied before the account stacks", () => {
      expect(stacksOf(modelOf(withLayout(exampleConfig("central-log-archive"), "per-account")))).toEqual([
        {
          name: "replication-destination-acme-central-log-archive",
          grouped: false,
          replications: [],
          shared: ["acme-central-log-archive"],
          providers: ["destination=999988887777/us-east-1"],
          dependsOn: [],
        },
        ...[
          ["payments", "111122223333", "us-east-1"],
          ["search", "222233334444", "us-east-1"],
          ["analytics", "333344445555", "eu-west-1"],
        ].map(([account, id, region]) => ({
          name: `replication-account-${account}`,
          grouped: true,
          replications: [`replication-acme-${account}-logs`],
          shared: [],
          providers: [
            `${account}_${region.replace(/-/g, "_")}=${id}/${region}`,
            "log_archive_us_east_1=999988887777/us-east-1",
          ],
          dependsOn: ["replication-destination-acme-central-log-archive"],
        })),
      ]);
    });

    test("single holds every replication and the shared destinations' sides in one stack", () => {
      const model = modelOf(withLayout(exampleConfig("central-log-archive"), "single"));
      expect(stacksOf(model)).toEqual([
        {
          name: "replication-all",
          grouped: true,
          replications: [
            "replication-acme-payments-logs",
            "replication-acme-search-logs",
            "replication-acme-analytics-logs",
          ],
          shared: ["acme-central-log-archive"],
          providers: [
            "log_archive_us_east_1=999988887777/us-east-1",
            "payments_us_east_1=111122223333/us-east-1",
            "search_us_east_1=222233334444/us-east-1",
            "analytics_eu_west_1=333344445555/eu-west-1",
          ],
          dependsOn: [],
        },
      ]);
      expect(model.sharedDestinations[0].stackName).toBe("replication-all");
      expect(model.replications.map((r) => r.destinations[0].sharedBy)).toEqual([
        "replication-all",
        "replication-all",
        "replication-all",
      ]);
    });

    test("a replication's own stack overrides the layout, and a two-way pair split across stacks is ordered", () => {
      const config = withLayout(exampleConfig("two-way"), "single");
      config.replications[1].stack = "west-team";
      expect(stacksOf(modelOf(config))).toEqual([
        {
          name: "replication-all",
          grouped: true,
          replications: ["replication-acme-shared-east"],
          shared: [],
          providers: ["prod_us_east_1=111122223333/us-east-1", "backup_us_west_2=444455556666/us-west-2"],
          dependsOn: [],
        },
        {
          name: "replication-west-team",
          grouped: true,
          replications: ["replication-acme-shared-west"],
          shared: [],
          providers: ["backup_us_west_2=444455556666/us-west-2", "prod_us_east_1=111122223333/us-east-1"],
          dependsOn: ["replication-all"],
        },
      ]);
    });

    test("replications naming the same stack share it, in per-bucket too", () => {
      const config = twoSources();
      config.replications[0].stack = "app-team";
      config.replications[1].stack = "app-team";
      expect(stacksOf(modelOf(config)).map((s) => [s.name, s.grouped, s.replications])).toEqual([
        ["replication-app-team", true, ["replication-my-app-data-prod", "replication-my-app-logs-prod"]],
      ]);
    });
  });

  describe("bucket managers", () => {
    // Under "the first replication in the config that names a bucket manages it", account-a would
    // manage bucket-b1 (named first by a1's rule) and account-b bucket-a2 (named first by b2's
    // rule); a2's rule uses bucket-a2 and b1's rule bucket-b1: each stack would wait for the other.
    // The earliest stack that names a bucket manages it instead.
    function crossing(): ConfigInput {
      const rule = (id: string, account: string, bucket: string) => ({
        id,
        priority: 1,
        deleteMarkerReplication: false,
        destination: { account, bucket },
      });
      return {
        backend: { type: "local" },
        stackLayout: "per-account",
        accounts: {
          a: { accountId: "111111111111", region: "us-east-1", credentials: { profile: "a" } },
          b: { accountId: "222222222222", region: "us-east-1", credentials: { profile: "b" } },
        },
        replications: [
          { source: { account: "a", bucket: "bucket-a1" }, rules: [rule("a1", "b", "bucket-b1")] },
          { source: { account: "b", bucket: "bucket-b2" }, rules: [rule("b2", "a", "bucket-a2")] },
          { source: { account: "a", bucket: "bucket-a2" }, rules: [rule("a2", "a", "bucket-a3")] },
          { source: { account: "b", bucket: "bucket-b1" }, rules: [rule("b1", "b", "bucket-b3")] },
        ],
      };
    }

    test("the earliest stack that names a bucket manages it, so stacks never wait for each other", () => {
      const model = modelOf(crossing());
      expect(stacksOf(model).map((s) => [s.name, s.dependsOn])).toEqual([
        ["replication-account-a", []],
        ["replication-account-b", ["replication-account-a"]],
      ]);
      expect(model.replications.map((r) => r.managedBuckets.map((m) => m.location.bucket))).toEqual([
        ["bucket-a1", "bucket-b1"],
        ["bucket-b2"],
        ["bucket-a2", "bucket-a3"],
        ["bucket-b3"],
      ]);
    });

    test("in the per-bucket layout the first replication that names a bucket manages it, as before", () => {
      const model = modelOf(withLayout(crossing(), "per-bucket"));
      expect(stacksOf(model).map((s) => [s.name, s.dependsOn])).toEqual([
        ["replication-bucket-a1", []],
        ["replication-bucket-b2", []],
        ["replication-bucket-a2", ["replication-bucket-b2"]],
        ["replication-bucket-b1", ["replication-bucket-a1"]],
      ]);
    });

    test("every stack depends only on stacks before it, in any layout (generated configs)", () => {
      const layouts = fc.constantFrom<Layout>("per-bucket", "per-account", "single");
      const cases = fc.tuple(generatedConfig, layouts, fc.array(fc.constantFrom("team-a", "team-b", undefined)));
      let checked = 0;
      for (const [config, layout, stacks] of fc.sample(cases, { numRuns: 150, seed: 21 })) {
        const input = withLayout(config, layout);
        input.replications.forEach((r, i) => {
          if (stacks[i]) r.stack = stacks[i];
        });
        let model: Model;
        try {
          model = modelOf(input);
        } catch {
          continue;
        }
        checked++;
        const names = model.stacks.map((s) => s.name);
        for (const [i, stack] of model.stacks.entries()) {
          for (const dependency of stack.dependsOn) expect(names.indexOf(dependency)).toBeLessThan(i);
        }
      }
      expect(checked).toBeGreaterThan(50);
    });

    test.each(["per-bucket", "per-account", "single"] as const)(
      "in %s, every bucket-level document of every example has exactly one owner",
      (layout) => {
        for (const name of ["central-log-archive", "org-log-archive", "two-way", "kms", "new-buckets", "fan-out"]) {
          const model = modelOf(withLayout(exampleConfig(name), layout));
          const versioning = [
            ...model.replications.flatMap((r) => r.managedBuckets.map((m) => m.location.bucket)),
            ...model.sharedDestinations.map((d) => d.destination.bucket),
          ];
          const policies = [
            ...model.replications.flatMap((r) => r.destinations.filter((d) => !d.sharedBy).map((d) => d.bucket)),
            ...model.sharedDestinations.map((d) => d.destination.bucket),
          ];
          const buckets = new Set(
            model.replications.flatMap((r) => [r.source.bucket, ...r.destinations.map((d) => d.bucket)]),
          );
          expect([name, [...versioning].sort()]).toEqual([name, [...buckets].sort()]);
          expect([name, policies.length]).toEqual([name, new Set(policies).size]);
        }
      },
    );
  });

  describe("identity", () => {
    test("what a replication names in AWS does not depend on its stack", () => {
      const names = (layout: Layout) => {
        const r = modelOf(withLayout(exampleConfig("rtc-monitoring"), layout)).replications[0];
        return { id: r.id, role: r.role.arn, batch: r.batch.roleArn };
      };
      const expected = {
        id: "replication-acme-orders-prod",
        role: "arn:aws:iam::111122223333:role/s3-replication-acme-orders-prod",
        batch: "arn:aws:iam::111122223333:role/s3-batch-replication-acme-orders-prod",
      };
      expect(names("per-bucket")).toEqual(expected);
      expect(names("per-account")).toEqual(expected);
      expect(names("single")).toEqual(expected);
    });
  });

  describe("rejects", () => {
    test("a layout that is not one of the three", () => {
      const config = { ...guideConfig(), stackLayout: "per-team" } as unknown as ConfigInput;
      expect(problemsOf(config)).toEqual([
        'stackLayout: Invalid option: expected one of "per-bucket"|"per-account"|"single"',
      ]);
    });

    test.each([
      ["Logs", "upper case"],
      ["9-lives", "a leading digit"],
      ["logs-", "a trailing hyphen"],
      ["logs_team", "an underscore"],
      ["a".repeat(41), "more than 40 characters"],
    ])("a stack name %j (%s)", (stack) => {
      const config = configWith((c) => {
        c.replications[0].stack = stack;
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].stack: must be a lowercase letter, then at most 39 lowercase letters, digits or hyphens, not ending in a hyphen, like "logs-team"',
      ]);
    });

    test.each(["account-prod", "destination-logs", "all", "state-bootstrap"])(
      "a stack name the layouts make: %s",
      (stack) => {
        const config = configWith((c) => {
          c.replications[0].stack = stack;
        });
        expect(problemsOf(config)).toEqual([
          `replications[0].stack: "${stack}" would name the stack replication-${stack}, and names starting with "account-" or "destination-", "all" and "state-bootstrap" belong to the stacks the layouts make: choose another name, or leave stack out to use the layout's stack`,
        ]);
      },
    );

    test("a stack name that is a source bucket's per-bucket stack, its own or another's", () => {
      const config = twoSources();
      config.replications[0].stack = "my-app-data-prod";
      config.replications[1].stack = "my-app-data-prod";
      expect(problemsOf(config)).toEqual([
        'replications[0].stack: "my-app-data-prod" names the stack replication-my-app-data-prod, which is the per-bucket stack of the source bucket "my-app-data-prod" (replications[0]): a move between layouts would find that stack\'s state under this name; choose another name',
        'replications[1].stack: "my-app-data-prod" names the stack replication-my-app-data-prod, which is the per-bucket stack of the source bucket "my-app-data-prod" (replications[0]): a move between layouts would find that stack\'s state under this name; choose another name',
      ]);
    });

    test("a source bucket whose per-bucket stack has the name of a layout's stack", () => {
      const config = withLayout(twoSources(), "single");
      config.replications[1].source.bucket = "all";
      expect(problemsOf(config)).toEqual([
        'replications[1].source.bucket: bucket "all" gives the per-bucket stack name replication-all, which the single layout gives one of its stacks: a move between layouts would find that stack\'s state under this name; choose another stackLayout, or use a separate config file for this bucket',
      ]);
      const perAccount = withLayout(twoSources(), "per-account");
      perAccount.replications[1].source.bucket = "account-source";
      expect(problemsOf(perAccount)).toEqual([
        'replications[1].source.bucket: bucket "account-source" gives the per-bucket stack name replication-account-source, which the per-account layout gives one of its stacks: a move between layouts would find that stack\'s state under this name; choose another stackLayout, or use a separate config file for this bucket',
      ]);
    });

    test("a source bucket whose stack would be the state bucket's bootstrap stack", () => {
      const config = configWith((c) => {
        c.backend = { type: "s3", bucket: "my-terraform-state", region: "us-east-1", bootstrap: { account: "source" } };
        c.replications[0].source.bucket = "state-bootstrap";
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].source.bucket: bucket "state-bootstrap" gives the stack name replication-state-bootstrap, the state bucket\'s bootstrap stack: use a separate config file for this bucket, or create the state bucket without backend.bootstrap',
      ]);
    });
  });
});
