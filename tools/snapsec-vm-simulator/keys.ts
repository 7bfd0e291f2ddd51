// The simulated workspace's API keys: a well-known seeded set, plus any added through the control API.
import type { VmRole } from "../../server/integrations/snapsec-vm/contract";
import { sameSecret, SecretRing } from "../simulator-kit/secrets";

export interface VmSimulatorKey {
  /** The key itself. Well-known keys are readable words so demos can type them. */
  key: string;
  /** The name VM shows in Settings → API Keys. */
  name: string;
  role: VmRole;
  /** A revoked (regenerated) key is refused with 401 API_KEY_REVOKED. */
  revoked: boolean;
  /** The key is only accepted when every one of these headers carries exactly this value (names lower-case). */
  requiredHeaders: Record<string, string>;
}

export const VM_SIMULATOR_KEYS = {
  admin: { key: "vm-demo-admin-key", name: "Postura (admin)", role: "admin", revoked: false, requiredHeaders: {} },
  manager: { key: "vm-demo-manager-key", name: "Postura (manager)", role: "manager", revoked: false, requiredHeaders: {} },
  auditor: { key: "vm-demo-auditor-key", name: "Read-only auditor", role: "auditor", revoked: false, requiredHeaders: {} },
  revoked: { key: "vm-demo-revoked-key", name: "Old key", role: "admin", revoked: true, requiredHeaders: {} },
  headerBound: {
    key: "vm-demo-tenant-key",
    name: "Postura via tenant routing",
    role: "admin",
    revoked: false,
    requiredHeaders: { "x-snapsec-tenant": "acme" },
  },
} as const satisfies Record<string, VmSimulatorKey>;

export type VmSimulatorKeyName = keyof typeof VM_SIMULATOR_KEYS;

export function defaultVmKeys(): VmSimulatorKey[] {
  return Object.values(VM_SIMULATOR_KEYS).map((k) => ({ ...k, requiredHeaders: { ...k.requiredHeaders } }));
}

/** Keys are found by the digest of what was presented, compared in constant time (the kit's SecretRing); nothing is trimmed. */
export class VmKeyRing {
  private readonly keys = new SecretRing<VmSimulatorKey>((key) => key.key);

  constructor(keys: Iterable<VmSimulatorKey>) {
    for (const key of keys) this.put(key);
  }

  /** Adds a key, or replaces the one with the same secret; header names are matched lower-case. */
  put(key: VmSimulatorKey): void {
    const requiredHeaders = Object.fromEntries(
      Object.entries(key.requiredHeaders).map(([name, value]) => [name.toLowerCase(), value]),
    );
    this.keys.add({ ...key, requiredHeaders });
  }

  /** Revokes (or restores) a key; false when there is no such key. */
  setRevoked(token: string, revoked: boolean): boolean {
    const key = this.find(token);
    if (key) key.revoked = revoked;
    return key !== undefined;
  }

  find(token: string): VmSimulatorKey | undefined {
    return this.keys.find(token);
  }

  list(): VmSimulatorKey[] {
    return this.keys.list().map((k) => ({ ...k, requiredHeaders: { ...k.requiredHeaders } }));
  }
}

/**
 * The first required header (lower-case name) missing or different, or undefined when all match. Values are compared
 * in constant time. Used for header-bound keys and for the gateway.
 */
export function missingRequiredHeader(
  required: Record<string, string>,
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  for (const [name, expected] of Object.entries(required)) {
    const sent = headers[name];
    if (typeof sent !== "string" || !sameSecret(sent, expected)) return name;
  }
  return undefined;
}
