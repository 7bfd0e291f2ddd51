// "Sync integration" for scripts and the settings page: POST re-pulls every associated Salt domain.
// Members who may run imports (admins, and anyone granted Vulnerability Vendor Import), same-origin for browsers (like the tRPC mutations). Answers:
// 202 { integrationId, domains, queued } · 401 not signed in · 403 not allowed or cross-site · 404 no integration.
import { getMembershipForUser } from "@/db/queries/companies";
import { can, grantedPermissions, refusalMessages } from "@/server/api/permissions";
import { clientIpFromHeaders } from "@/server/security/client-ip";
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
  const membership = await getMembershipForUser(db, session.user.id, session.session.activeCompanyId);
  if (!membership || !can({ role: membership.role, permissions: grantedPermissions(membership) }, "integrations:import")) {
    return answer(403, { error: refusalMessages["integrations:import"] });
  }
  try {
    const actor = {
      userId: session.user.id,
      name: session.user.name,
      email: session.user.email,
      ipAddress: clientIpFromHeaders(request.headers),
      userAgent: request.headers.get("user-agent"),
    };
    const result = await requestManualSync(db, { companyId: membership.companyId, actor });
    return answer(202, result);
  } catch (error) {
    if (error instanceof IntegrationNotFoundError) return answer(404, { error: "No Salt Security integration is connected." });
    throw error;
  }
}
