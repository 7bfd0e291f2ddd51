// GET /api/export/apis?<the APIs list's own query string>: every API endpoint the filter matches (not one page), as
// CSV, streamed a batch at a time (server/http/csv-export.ts). Answers 401 not signed in · 400 a filter that does
// not parse · 200 text/csv.
import { apiListQuery, loadApiSearchParams } from "@/app/(app)/assets/apis/search-params";
import { apiExportColumns, exportApis } from "@/db/queries/asset-lists";
import { apiListInput } from "@/server/api/routers/assets";
import { csvExportResponse } from "@/server/http/csv-export";
import { withRequestLog } from "@/server/http/request-log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return withRequestLog(request, () =>
    csvExportResponse(request, {
      list: "apis",
      columns: apiExportColumns,
      batches: (db, caller, url) => {
        const parsed = apiListInput.safeParse(apiListQuery(loadApiSearchParams(url)));
        if (!parsed.success) return null;
        const { sort: _sort, dir: _dir, page: _page, ...filter } = parsed.data;
        return exportApis(db, { ...filter, companyId: caller.companyId });
      },
      cells: (r) => [r.id, r.method, r.path, r.fqdn, r.riskScore, r.openIssueCount, r.labels.join(" "), r.lastSyncedAt],
    }),
  );
}
