/** Parsed JSON read defensively, field by field (Terraform JSON, plans, live policies). */
// biome-ignore lint/suspicious/noExplicitAny: untyped input, checked where it is read
export type Json = Record<string, any>;
