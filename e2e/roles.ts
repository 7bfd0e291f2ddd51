// The demo company's people, as the end-to-end tests sign in with them.
import { DEMO_PASSWORD, DEMO_USERS } from "../server/demo";

export type RoleName = "admin" | "analyst" | "viewer";
export const password = DEMO_PASSWORD;
export function person(role: RoleName) {
  const found = DEMO_USERS.find((u) => u.role === role);
  if (!found) throw new Error(`no demo ${role}`);
  return found;
}
export const storageStateFor = (role: RoleName) => `e2e/.auth/${role}.json`;
