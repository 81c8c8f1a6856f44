/**
 * Rule ids and filter prefixes are shown to reviewers (the plan summary, the topology diagram, a
 * terminal) and written to AWS. A control character there (a line break, an escape sequence) or
 * an invisible one (a bidi override, a zero-width space) would let the text display as something
 * else than it is, or break out of the summary's structure. AWS itself advises against control
 * characters in object keys ("Characters to avoid": ASCII 0-31 and 127), so a prefix never needs
 * one. Tag keys and values are held to AWS's tag rule by the schema, which refuses them too.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
import { codePointName, firstInvisible } from "../../escape/visible";
import { type Check, eachRule, issue } from "./check";

function problem(text: string | undefined): string | undefined {
  const bad = text === undefined ? undefined : firstInvisible(text);
  return bad === undefined
    ? undefined
    : `holds ${codePointName(bad)}, a control or invisible character: it would not show as itself in the plan summary, the diagram or a terminal, and could make them show something else; remove it`;
}

export const checkVisibleText: Check = (config) =>
  eachRule(config, (rule, path) => {
    const id = problem(rule.id);
    const prefix = problem(rule.filter?.prefix);
    return [
      ...(id ? [issue([...path, "id"], id)] : []),
      ...(prefix ? [issue([...path, "filter", "prefix"], prefix)] : []),
    ];
  });
