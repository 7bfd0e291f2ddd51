// A list's CSV export as a route answer: the caller's session and company, the list's own query string parsed and
// validated, then the whole filtered set streamed a keyset batch at a time as the client reads it (a slow download
// holds one batch in memory, not the export). Answers 401 not signed in · 400 a filter that does not parse · 200.
import { getMembershipForUser } from "@/db/queries/companies";
import { csvLine } from "@/lib/csv";
import { getAuth } from "@/server/auth";
import { type Database } from "@/db/client";
import { databaseReady, getDb } from "@/server/db";
import { describeError } from "@/server/error-fields";
import { logger } from "@/server/logger";

type Cell = string | number | Date | null | undefined;

function refuse(status: number, error: string) {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

export async function csvExportResponse<Row>(
  request: Request,
  {
    list,
    columns,
    batches,
    cells,
  }: {
    /** The file's name part and the list the message names: "issues", "apis", "fqdns". */
    list: string;
    columns: readonly string[];
    /** The filtered set's batches for the caller, or null when the query string does not parse. */
    batches: (db: Database, caller: { companyId: string; userId: string }, url: URL) => AsyncGenerator<Row[]> | null;
    cells: (row: Row) => Cell[];
  },
) {
  await databaseReady();
  const session = await getAuth().api.getSession({ headers: request.headers });
  if (!session) return refuse(401, "Sign in to continue.");
  const db = getDb();
  const membership = await getMembershipForUser(db, session.user.id, session.session.activeCompanyId);
  if (!membership) return refuse(401, "Sign in to continue.");
  const rows = batches(db, { companyId: membership.companyId, userId: session.user.id }, new URL(request.url));
  if (!rows) return refuse(400, `This filter cannot be exported: open the ${list === "issues" ? "Issues" : list === "apis" ? "APIs" : "FQDNs"} list again and export from there.`);

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(columns)));
    },
    async pull(controller) {
      try {
        const next = await rows.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map((row) => csvLine(cells(row))).join("")));
      } catch (error) {
        logger.error(`${list} export failed mid-stream`, describeError(error));
        controller.error(error);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="postura-${list}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
