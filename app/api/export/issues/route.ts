// GET /api/export/issues?<the Issues list's own query string>: every issue the filter matches (not one page), as
// CSV, streamed a batch at a time (server/http/csv-export.ts). Any member may export what they may read; the company
// is the session's. Answers 401 not signed in · 400 a filter that does not parse · 200 text/csv.
import { issueFilterQuery, loadIssueSearchParams } from "@/app/(app)/issues/search-params";
import { exportIssues, issueExportColumns } from "@/db/queries/issues";
import { csvExportResponse } from "@/server/http/csv-export";
import { withRequestLog } from "@/server/http/request-log";
import { issueFilterInput, resolveIssueFilter } from "@/server/issues/filter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return withRequestLog(request, () =>
    csvExportResponse(request, {
      list: "issues",
      columns: issueExportColumns,
      batches: (db, caller, url) => {
        const parsed = issueFilterInput.safeParse(issueFilterQuery(loadIssueSearchParams(url)));
        return parsed.success ? exportIssues(db, resolveIssueFilter(parsed.data, caller)) : null;
      },
      cells: (r) => [r.id, r.title, r.severity, r.status, r.category, r.cwe, r.source, r.asset, r.domain, r.owner, r.detectedAt, r.lastActivityAt],
    }),
  );
}
