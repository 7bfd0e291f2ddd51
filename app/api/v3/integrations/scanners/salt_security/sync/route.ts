// "Sync integration" for scripts and the settings page: POST re-pulls every associated Salt domain.
// Signed-in admins only, same-origin for browsers (like the tRPC mutations). Answers:
// 202 { integrationId, domains, queued } · 401 not signed in · 403 not an admin or cross-site · 404 no integration.
import { getMembershipForUser } from "@/db/queries/companies";
import { can } from "@/server/api/permissions";
import { getAuth, trustedOrigins } from "@/server/auth";
import { databaseReady, getDb } from "@/server/db";
import { withRequestLog } from "@/server/http/request-log";
import { IntegrationNotFoundError, requestManualSync } from "@/server/sync";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function answer(status: number, body: Record<string, unknown>) {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

export function POST(request: Request) {
  return withRequestLog(request, () => requestSync(request));
}

async function requestSync(request: Request) {
  await databaseReady();
  const origin = request.headers.get("origin");
  if ((origin && !trustedOrigins().includes(origin)) || request.headers.get("sec-fetch-site") === "cross-site") {
    return answer(403, { error: "Cross-site request refused." });
  }
  const session = await getAuth().api.getSession({ headers: request.headers });
  if (!session) return answer(401, { error: "Sign in to continue." });
  const db = getDb();
  const membership = await getMembershipForUser(db, session.user.id);
  if (!membership || !can(membership.role, "integrations:manage")) {
    return answer(403, { error: "Only admins can manage integrations." });
  }
  try {
    const result = await requestManualSync(db, { companyId: membership.companyId });
    return answer(202, result);
  } catch (error) {
    if (error instanceof IntegrationNotFoundError) return answer(404, { error: "No Salt Security integration is connected." });
    throw error;
  }
}
