/** What every account holds in the emulator, read back with that account's own credentials. */
import type { Json } from "../helpers/loose-json";
import { type Emulator, fixture } from "./emulator";
import type { World } from "./world";

export interface BucketState {
  readonly name: string;
  readonly region: string;
  readonly versioning?: string;
  readonly policy: Json | null;
  readonly replication: Json | null;
  readonly ownership: string | null;
  readonly publicAccessBlock: Json | null;
  readonly encryption: Json[] | null;
  readonly objectLock: boolean;
  readonly tags: Readonly<Record<string, string>> | null;
  /** Key -> SHA-256 of the latest version's body. */
  readonly objects: Readonly<Record<string, string>>;
}

export interface RoleState {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly description?: string;
  readonly permissionsBoundary?: string;
  readonly trustPolicy: Json;
  readonly inlinePolicies: Readonly<Record<string, Json>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** A metric alarm as DescribeAlarms answers it (fixtures.py), with its tags. */
export interface AlarmState extends Readonly<Record<string, unknown>> {
  readonly name: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AccountState {
  readonly roles: readonly RoleState[];
  readonly buckets: readonly BucketState[];
  readonly keys: ReadonlyArray<{
    arn: string;
    region: string;
    state: string;
    rotation: boolean;
    description: string;
    tags: Readonly<Record<string, string>>;
    policy: Json;
  }>;
  readonly aliases: ReadonlyArray<{ name: string; region: string; targetKeyId?: string }>;
  readonly topics: ReadonlyArray<{
    arn: string;
    region: string;
    tags: Readonly<Record<string, string>>;
    subscriptions: Array<{ protocol: string; endpoint: string }>;
  }>;
  readonly alarms: readonly AlarmState[];
}

/** Account id -> what it holds. */
export type Snapshot = ReadonlyMap<string, AccountState>;

export async function snapshot(emulator: Emulator, world: World): Promise<Snapshot> {
  const accounts: Record<string, { credentials: unknown; regions: string[] }> = {};
  for (const [account, key] of world.keys) {
    accounts[account] = { credentials: key, regions: [...(world.regions.get(account) ?? ["us-east-1"])] };
  }
  const state = await fixture<Record<string, AccountState>>(emulator, "snapshot", { accounts });
  return new Map(Object.entries(state));
}
