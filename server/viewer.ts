// The signed-in person for server components: session, company and role, or null.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getMembershipForUser } from "@/db/queries/companies";
import { permissionsOf } from "@/server/api/permissions";
import { getAuth } from "@/server/auth";
import { databaseReady, getDb } from "@/server/db";

export const getViewer = cache(async () => {
  await databaseReady();
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) return null;
  const membership = await getMembershipForUser(getDb(), session.user.id);
  if (!membership) return null;
  return {
    user: { id: session.user.id, name: session.user.name, email: session.user.email },
    company: { id: membership.companyId, name: membership.companyName, publicId: membership.companyPublicId },
    role: membership.role,
    permissions: permissionsOf(membership.role),
  };
});
export type Viewer = NonNullable<Awaited<ReturnType<typeof getViewer>>>;
