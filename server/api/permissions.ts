// The one place that says what each role and each grantable permission may do. The server checks these on
// every procedure (server/api/trpc.ts); pages and components read the same list to hide what a member can't do.
import type { Role } from "@/db/schema/vocabulary";

/** Everything a member may be allowed to do. */
export const actions = [
  "integrations:manage",
  "integrations:import",
  "issues:change_status",
  "issues:assign",
  "issues:comment",
  "issues:edit_threat_model",
  "assets:edit_business_impact",
  "members:manage",
  "audit:read",
  "notifications:manage",
  "sla:manage",
] as const;
export type Permission = (typeof actions)[number];

/** Permissions an admin grants per member, independently of role. */
export const grantablePermissions = ["vendor_import"] as const;
export type GrantablePermission = (typeof grantablePermissions)[number];

export const grantablePermissionInfo: Record<GrantablePermission, { label: string; description: string }> = {
  vendor_import: {
    label: "Vulnerability Vendor Import",
    description: "Run imports from vulnerability scanners and vendors (Sync integration, scanner imports).",
  },
};

const roleGrants: Record<Role, readonly Permission[]> = {
  admin: actions,
  analyst: ["issues:change_status", "issues:assign", "issues:comment", "issues:edit_threat_model", "assets:edit_business_impact"],
  viewer: [],
};

const permissionGrants: Record<GrantablePermission, readonly Permission[]> = {
  vendor_import: ["integrations:import"],
};

export const roleInfo: Record<Role, { label: string; description: string }> = {
  admin: { label: "Admin", description: "Everything, including members, integrations and the audit log." },
  analyst: { label: "Analyst", description: "Change issue status, owner and business impact; comment on issues." },
  viewer: { label: "Viewer", description: "Read only." },
};

/** A member as far as permissions go: their role and the permissions granted to them. */
export type Member = { role: Role; permissions?: readonly string[] };

function isGrantable(value: string): value is GrantablePermission {
  return (grantablePermissions as readonly string[]).includes(value);
}

/** Only known grantable permissions count; an unknown string stored by an older version grants nothing. */
export function grantedPermissions(member: Member): GrantablePermission[] {
  return (member.permissions ?? []).filter(isGrantable);
}

/** Whether a member (or a bare role, for role-only checks) may do `action`. */
export function can(member: Member | Role, action: Permission): boolean {
  const subject = typeof member === "string" ? { role: member } : member;
  if (roleGrants[subject.role].includes(action)) return true;
  return grantedPermissions(subject).some((p) => permissionGrants[p].includes(action));
}

export function permissionsOf(member: Member | Role): Permission[] {
  return actions.filter((action) => can(member, action));
}

/** The message a refused request gets: what was refused and who may do it. */
export const refusalMessages: Record<Permission, string> = {
  "integrations:manage": "Only admins can manage integrations.",
  "integrations:import": "Running an import needs the Vulnerability Vendor Import permission; ask an admin to grant it.",
  "issues:change_status": "Only analysts and admins can change an issue's status.",
  "issues:assign": "Only analysts and admins can set an issue's owner.",
  "issues:comment": "Only analysts and admins can comment on issues.",
  "issues:edit_threat_model": "Only analysts and admins can edit an issue's threat model.",
  "assets:edit_business_impact": "Only analysts and admins can change business impact.",
  "members:manage": "Only admins can manage members.",
  "audit:read": "Only admins can read the audit log.",
  "notifications:manage": "Only admins can change notifications.",
  "sla:manage": "Only admins can change the SLA.",
};
