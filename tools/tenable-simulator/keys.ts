// The simulator's API key pairs: a well-known set for demos and tests, plus any added through the control API.
import { SecretRing } from "../simulator-kit/secrets";
import { PERMISSIONS } from "./conventions";

export interface TenableKey {
  accessKey: string;
  secretKey: string;
  /** The user the keys belong to (GET /session). */
  username: string;
  /** Tenable's role number: 64 Administrator, 40 Scan Manager, 32 Standard, 24 Scan Operator, 16 Basic. */
  permissions: number;
}

/** Readable on purpose, so a demo can type them; real keys are 64 hex characters. */
export const TENABLE_KEYS = {
  admin: {
    accessKey: "tenable-demo-access",
    secretKey: "tenable-demo-secret",
    username: "security-admin@postura.example",
    permissions: PERMISSIONS.administrator,
  },
  standard: {
    accessKey: "tenable-standard-access",
    secretKey: "tenable-standard-secret",
    username: "analyst@postura.example",
    permissions: PERMISSIONS.standard,
  },
  basic: {
    accessKey: "tenable-basic-access",
    secretKey: "tenable-basic-secret",
    username: "viewer@postura.example",
    permissions: PERMISSIONS.basic,
  },
} as const satisfies Record<string, TenableKey>;

export type TenableKeyName = keyof typeof TENABLE_KEYS;

/** The header value a client sends for a key pair (Tenable's documented spelling). */
export function apiKeysHeader(key: Pick<TenableKey, "accessKey" | "secretKey">): string {
  return `accessKey=${key.accessKey}; secretKey=${key.secretKey};`;
}

export class TenableKeyRing extends SecretRing<TenableKey> {
  constructor(keys: Iterable<TenableKey> = Object.values(TENABLE_KEYS)) {
    super((key) => `${key.accessKey}\n${key.secretKey}`, keys);
  }

  findPair(accessKey: string, secretKey: string): TenableKey | undefined {
    return this.find(`${accessKey}\n${secretKey}`);
  }
}
