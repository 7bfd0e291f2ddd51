// Keeps the query planner's statistics of the tables a sync grows in step with them. PGlite (the embedded default)
// has no autovacuum at all, and PostgreSQL's looks at a table at most once a minute (or never, where it is off): a
// first sync grows `issues` from nothing to 100,000 rows in less than that, and a plan made for a nearly empty table
// walks every row of the company once per record (measured: 6 s for one page of 500 findings at 100,000 issues).
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { describeError } from "@/server/error-fields";
import { logger } from "@/server/logger";
import { rowsOf } from "./sql";

/** The tables an ingest statement reads by key while it writes them. */
const GROWN_TABLES = ["issues", "assets", "asset_tags", "status_history"] as const;

/**
 * ANALYZEs the grown tables whose rows changed by more than half since their last ANALYZE (and by 1,000 at least),
 * so a growing table is analyzed a logarithmic number of times. One process at a time: a run that finds another
 * analyzing goes on with the statistics there are.
 */
export async function refreshPlannerStatistics(db: Database): Promise<string[]> {
  try {
    return await analyzeStaleTables(db);
  } catch (error) {
    // Slower plans, not wrong data: the run goes on.
    logger.warn("planner statistics not refreshed", describeError(error));
    return [];
  }
}

/** How often a process looks again when it wrote nothing itself (another process may have). */
const RECHECK_AFTER_MS = 10_000;
let checkedAt = Number.NEGATIVE_INFINITY;
let rowsWrittenSinceCheck = 0;

/** Tells the check that this process wrote rows to the grown tables (any number > 0 makes the next run look). */
export function noteRowsWritten(rows: number): void {
  rowsWrittenSinceCheck += rows;
}

/**
 * refreshPlannerStatistics, skipped when nothing can have gone stale: this process wrote no rows since its last
 * look and that look is recent. An unchanged re-sync writes nothing, so it looks once per RECHECK_AFTER_MS instead
 * of once per domain; a first sync looks before every run, as the tables grow.
 */
export async function refreshPlannerStatisticsIfDue(db: Database): Promise<string[]> {
  if (rowsWrittenSinceCheck === 0 && performance.now() - checkedAt < RECHECK_AFTER_MS) return [];
  checkedAt = performance.now();
  rowsWrittenSinceCheck = 0;
  return refreshPlannerStatistics(db);
}

async function analyzeStaleTables(db: Database): Promise<string[]> {
  const stale = rowsOf<{ relname: string }>(
    await db.execute(sql`
      select relname from pg_stat_user_tables
      where schemaname = current_schema() and relname in (${sql.join(GROWN_TABLES.map((t) => sql`${t}`), sql`, `)})
        and n_mod_since_analyze > 1000 + 0.5 * n_live_tup`),
  ).map((r) => r.relname);
  if (stale.length === 0) return [];
  const tables = GROWN_TABLES.filter((t) => stale.includes(t));
  // ANALYZE may run inside a transaction, which holds the lock for exactly as long (and on one pooled connection).
  const analyzed = await db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('postura.refresh-planner-statistics')) as locked`),
    );
    if (!lock?.locked) return false;
    await tx.execute(sql.raw(`analyze ${tables.join(", ")}`));
    return true;
  });
  if (!analyzed) return [];
  return tables;
}
