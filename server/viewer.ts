// The signed-in person for server components: session, company, role and what they may do, or null.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getMembershipForUser, hasAnyUser, listCompaniesForUser } from "@/db/queries/companies";
import { grantedPermissions, permissionsOf } from "@/server/api/permissions";
import { getAuth } from "@/server/auth";
import { databaseReady, getDb } from "@/server/db";

export const getViewer = cache(async () => {
  await databaseReady();
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) return null;
  const db = getDb();
  const membership = await getMembershipForUser(db, session.user.id, session.session.activeCompanyId);
  if (!membership) return null;
  const member = { role: membership.role, permissions: grantedPermissions(membership) };
  return {
    user: { id: session.user.id, name: session.user.name, email: session.user.email },
    company: { id: membership.companyId, name: membership.companyName, publicId: membership.companyPublicId },
    companies: await listCompaniesForUser(db, session.user.id),
    role: membership.role,
    grants: member.permissions,
    permissions: permissionsOf(member),
  };
});
export type Viewer = NonNullable<Awaited<ReturnType<typeof getViewer>>>;

/** Where a signed-out visitor goes: the setup screen on a fresh install, otherwise sign-in. */
export async function signedOutDestination(): Promise<"/setup" | "/sign-in"> {
  await databaseReady();
  return (await hasAnyUser(getDb())) ? "/sign-in" : "/setup";
}
