/**
 * Rule ids, prefixes and tag values reach reviewers (plan summary, diagram, terminal): control and
 * invisible characters in them are refused at load, each with the field and the fix.
 */

import type { ConfigInput } from "../../lib/config/schema";
import { configWith } from "../helpers/config";
import { synthRun, writeConfig } from "../helpers/synth-run";

/** The problem lines of a synth that must refuse the config. */
function problems(config: ConfigInput): string[] {
  const run = synthRun(writeConfig(config));
  expect(run.code).toBe(1);
  return run.stderr.join("\n").split("\n").slice(1);
}

const INVISIBLE =
  "a control or invisible character: it would not show as itself in the plan summary, the diagram or a terminal, and could make them show something else; remove it";

describe("control and invisible characters in what reviewers read", () => {
  test("refuses the id that forged a summary heading and hid the rest in an HTML comment", () => {
    const id = "everything\n```\n\n## All stacks: no changes <img src=x>\n\n<!--";
    expect(
      problems(
        configWith((c) => {
          c.replications[0].rules[0].id = id;
        }),
      ),
    ).toEqual([`  - replications[0].rules[0].id: holds U+000A, ${INVISIBLE}`]);
  });

  test("refuses a bidi override in a rule id, and shows it escaped in the message", () => {
    const run = synthRun(
      writeConfig(
        configWith((c) => {
          c.replications[0].rules[0].id = "rule\u202egnp.exe";
        }),
      ),
    );
    expect(run.stderr.join("\n")).toContain(`replications[0].rules[0].id: holds U+202E, ${INVISIBLE}`);
    expect(run.stderr.join("\n")).not.toMatch(/\u202e/);
  });

  test("never lets a terminal escape sequence through to the terminal, even in another check's message", () => {
    const run = synthRun(
      writeConfig(
        configWith((c) => {
          const rule = c.replications[0].rules[0];
          rule.id = "x\u001b[2J";
          c.replications[0].rules.push({ ...rule, priority: 2 });
        }),
      ),
    );
    const text = run.stderr.join("\n");
    expect(text).not.toContain("\u001b");
    expect(text).toContain('duplicate rule id "x\\u001b[2J" (also in rules[0])');
  });

  test("refuses a tab, a line break and a soft hyphen in a prefix", () => {
    for (const [prefix, name] of [
      ["logs\t/", "U+0009"],
      ["logs/\n", "U+000A"],
      ["lo\u00adgs/", "U+00AD"],
      ["logs\u0085/", "U+0085"],
    ]) {
      expect(
        problems(
          configWith((c) => {
            c.replications[0].rules[0].filter = { prefix };
          }),
        ),
      ).toEqual([`  - replications[0].rules[0].filter.prefix: holds ${name}, ${INVISIBLE}`]);
    }
  });

  test("refuses a line separator in a tag value, by AWS's rule for tags", () => {
    expect(
      problems(
        configWith((c) => {
          const rule = c.replications[0].rules[0];
          rule.deleteMarkerReplication = false;
          rule.filter = { tags: { team: "a\u2028b" } };
        }),
      ),
    ).toEqual([
      "  - replications[0].rules[0].filter.tags.team: may hold only letters, digits, spaces and _ . : / = + - @ (AWS's rule for tags)",
    ]);
  });

  test("keeps accepting what reviewers see as written: spaces, accents and punctuation", () => {
    const run = synthRun(
      writeConfig(
        configWith((c) => {
          c.replications[0].rules[0].id = "copy <all> `logs` #1 é";
          c.replications[0].rules[0].filter = { prefix: "a b/é/[x]/" };
        }),
      ),
    );
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
  });
});
