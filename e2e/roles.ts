// The demo company's people, as the end-to-end tests sign in with them.
import type { TestInfo } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../server/demo";

export type RoleName = "admin" | "analyst" | "viewer";
export const password = DEMO_PASSWORD;
export function person(role: RoleName) {
  const found = DEMO_USERS.find((u) => u.role === role);
  if (!found) throw new Error(`no demo ${role}`);
  return found;
}

/** Each engine's server has its own sessions, so the saved sign-in is per engine and role. */
export function storageStateFor(role: RoleName, info: TestInfo): string {
  return `e2e/.auth/${String(info.project.metadata.engine)}-${role}.json`;
}
