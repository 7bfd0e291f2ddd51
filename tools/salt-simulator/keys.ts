// The simulator's API keys: a well-known seeded set, plus any added through the control API.
import { SecretRing } from "../simulator-kit/secrets";
import { SCOPE_EXECUTOR, SCOPE_VIEWER, type Region, type Scope } from "./conventions";

export interface SimulatorKey {
  /** The bearer token itself. Well-known keys use their name as the token so demos can type them. */
  key: string;
  region: Region;
  scopes: Scope[];
  /** ISO date; after it every call is refused with 401 API_KEY_EXPIRED. */
  expiresAt: string;
}

const FAR_FUTURE = "2099-12-31T23:59:59.000Z";

export const SIMULATOR_KEYS = {
  usFull: { key: "salt-us-full", region: "us", scopes: [SCOPE_VIEWER, SCOPE_EXECUTOR], expiresAt: FAR_FUTURE },
  euFull: { key: "salt-eu-full", region: "eu", scopes: [SCOPE_VIEWER, SCOPE_EXECUTOR], expiresAt: FAR_FUTURE },
  usReadonly: { key: "salt-us-readonly", region: "us", scopes: [SCOPE_VIEWER], expiresAt: FAR_FUTURE },
  usNoScope: { key: "salt-us-noscope", region: "us", scopes: [], expiresAt: FAR_FUTURE },
  usExpired: {
    key: "salt-us-expired",
    region: "us",
    scopes: [SCOPE_VIEWER, SCOPE_EXECUTOR],
    expiresAt: "2025-01-01T00:00:00.000Z",
  },
} as const satisfies Record<string, SimulatorKey>;

export type SimulatorKeyName = keyof typeof SIMULATOR_KEYS;

/** Keys by their token (the bearer token exactly as sent: the simulator never trims). */
export class KeyRing extends SecretRing<SimulatorKey> {
  constructor(keys: Iterable<SimulatorKey>) {
    super((key) => key.key, keys);
  }
}

export function defaultKeys(): SimulatorKey[] {
  return Object.values(SIMULATOR_KEYS).map((k) => ({ ...k, scopes: [...k.scopes] }));
}
