// GET /api/export/fqdns?<the FQDN list's own query string>: every domain the filter matches (not one page), as CSV,
// streamed a batch at a time (server/http/csv-export.ts). Answers 401 not signed in · 400 a filter that does not
// parse · 200 text/csv.
import { fqdnListQuery, loadFqdnSearchParams } from "@/app/(app)/assets/fqdns/search-params";
import { exportFqdns, fqdnExportColumns } from "@/db/queries/asset-lists";
import { fqdnListInput } from "@/server/api/routers/assets";
import { csvExportResponse } from "@/server/http/csv-export";
import { withRequestLog } from "@/server/http/request-log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return withRequestLog(request, () =>
    csvExportResponse(request, {
      list: "fqdns",
      columns: fqdnExportColumns,
      batches: (db, caller, url) => {
        const parsed = fqdnListInput.safeParse(fqdnListQuery(loadFqdnSearchParams(url)));
        if (!parsed.success) return null;
        const { sort: _sort, dir: _dir, page: _page, ...filter } = parsed.data;
        return exportFqdns(db, { ...filter, companyId: caller.companyId });
      },
      cells: (r) => [r.id, r.name, r.riskScore, r.openIssueCount, r.businessImpact, r.applications.join(" "), r.tags.join(" "), r.source, r.lastSyncedAt],
    }),
  );
}
