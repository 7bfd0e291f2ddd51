// What each role may do. The server checks these on every mutation; the UI only hides what it can't do.
import type { Role } from "@/db/schema";

export const permissions = [
  "integrations:manage",
  "issues:change_status",
  "assets:edit_business_impact",
] as const;
export type Permission = (typeof permissions)[number];

const grants: Record<Role, readonly Permission[]> = {
  admin: permissions,
  analyst: ["issues:change_status", "assets:edit_business_impact"],
  viewer: [],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...grants[role]];
}
