// GET /api/export/issues?<the Issues list's own query string>: every issue the filter matches (not one page), as
// CSV, streamed a batch at a time as the client reads it. Any member may export what they may read; the company is
// the session's. Answers 401 not signed in · 400 a filter that does not parse · 200 text/csv.
import { getMembershipForUser } from "@/db/queries/companies";
import { exportIssues, issueExportColumns } from "@/db/queries/issues";
import { issueListQuery, loadIssueSearchParams } from "@/app/(app)/issues/search-params";
import { csvLine } from "@/lib/csv";
import { issueFilterInput, resolveIssueFilter } from "@/server/issues/filter";
import { getAuth } from "@/server/auth";
import { databaseReady, getDb } from "@/server/db";
import { withRequestLog } from "@/server/http/request-log";
import { logger } from "@/server/logger";
import { describeError } from "@/server/error-fields";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function refuse(status: number, error: string) {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

export function GET(request: Request) {
  return withRequestLog(request, () => exportRequest(request));
}

async function exportRequest(request: Request) {
  await databaseReady();
  const session = await getAuth().api.getSession({ headers: request.headers });
  if (!session) return refuse(401, "Sign in to continue.");
  const db = getDb();
  const membership = await getMembershipForUser(db, session.user.id, session.session.activeCompanyId);
  if (!membership) return refuse(401, "Sign in to continue.");

  const { sort: _sort, dir: _dir, page: _page, ...query } = issueListQuery(loadIssueSearchParams(request.url));
  const parsed = issueFilterInput.safeParse(query);
  if (!parsed.success) return refuse(400, "This filter cannot be exported: open the Issues list again and export from there.");
  const batches = exportIssues(db, resolveIssueFilter(parsed.data, { companyId: membership.companyId, userId: session.user.id }));

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(issueExportColumns)));
    },
    // One batch per read: a slow download holds one batch in memory, not the whole export.
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) return controller.close();
        const text = next.value
          .map((r) =>
            csvLine([r.id, r.title, r.severity, r.status, r.category, r.cwe, r.source, r.asset, r.domain, r.owner, r.detectedAt, r.lastActivityAt]),
          )
          .join("");
        controller.enqueue(encoder.encode(text));
      } catch (error) {
        logger.error("issue export failed mid-stream", describeError(error));
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="postura-issues-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
