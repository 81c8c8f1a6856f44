/**
 * Commands that do not handle a stack of several replications yet refuse a config that has one,
 * in words, rather than check or plan only part of such a stack.
 */
import type { Model } from "./model";

type Layout = Pick<Model, "stackLayout" | "stacks">;

/** The config's layout as a person reads it: the layout's name, with the config's own stacks. */
export function layoutText(model: Layout): string {
  const own = model.stacks.filter((s) => s.grouped).map((s) => s.name);
  return model.stackLayout === "per-bucket" && own.length > 0
    ? `"per-bucket" with stacks of the config's own (replications[].stack: ${own.join(", ")})`
    : `"${model.stackLayout}"`;
}

/** Why `command` refuses the model's layout, or undefined when every stack is a per-bucket one. */
export function unsupportedLayout(model: Layout, command: string): string | undefined {
  if (!model.stacks.some((s) => s.grouped)) return undefined;
  return `stack layout ${layoutText(model)} is not supported by ${command} yet: plan and apply its stacks with Terraform (cdktf.out/stacks/<stack>, or npm run export), or use "stackLayout": "per-bucket" without replications[].stack`;
}
