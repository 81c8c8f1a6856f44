/**
 * The benchmark's config: N one-to-one pairs between two accounts, laid out as asked. Each
 * source bucket exists (seeded in the emulator, so the existing-bucket check reads it); each
 * destination is created by the stack, so no existing-policy guard makes a plan without changes
 * exit 2, and a second plan after apply takes the "no changes" path.
 */
import { writeFileSync } from "node:fs";
import type { StackLayout } from "../lib/config/model";

export const LAYOUTS: readonly StackLayout[] = ["per-bucket", "per-account", "single"];

export function writeLayoutConfig(layout: StackLayout, pairs: number, file: string): string {
  const config = {
    stackLayout: layout,
    backend: { type: "local" },
    accounts: {
      source: { accountId: "111122223333", region: "us-east-1", credentials: { profile: "source-account-profile" } },
      destination: {
        accountId: "444455556666",
        region: "us-east-1",
        credentials: { profile: "destination-account-profile" },
      },
    },
    replications: Array.from({ length: pairs }, (_, i) => {
      const n = String(i).padStart(3, "0");
      return {
        source: { account: "source", bucket: `bench-src-${n}` },
        rules: [
          { id: "all", priority: 1, destination: { account: "destination", bucket: `bench-dst-${n}`, create: true } },
        ],
      };
    }),
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
