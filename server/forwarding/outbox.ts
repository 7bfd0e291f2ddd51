// The forwarding outbox: an issue change that matters to its forwarded record puts the issue here in the same
// transaction (or the same statement, for the sync's set-based writes), and a job per integration pushes it. A row
// is coalesced per issue; `generation` moves with every change so the job never deletes a change it did not push.
import { and, eq, lte, sql, type SQL } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Queryable } from "@/db/client";
import { forwardLinks, forwardOutbox, integrations, issues } from "@/db/schema";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss } from "@/server/jobs/runtime";
import { rowsOf } from "@/server/sync/sql";

export type ForwardJobData = { companyId: string; integrationId: string };
export type ForwardQueueOptions = { boss?: PgBoss };

/** The company's integrations that receive issues, as SQL (for set-based statements). */
function receivingIntegrations(company: SQL): SQL {
  return sql`(select id from integrations where company_id = ${company} and kind = 'snapsec_vm' and state = 'connected')`;
}

const bumpOnConflict = sql`on conflict (integration_id, issue_id) do update
  set generation = forward_outbox.generation + 1, changed_at = now(), not_before = now(), attempts = 0`;

/**
 * A CTE body for the sync's statements: queues every issue id in `ids` (an SQL relation with an `id` column) for
 * the company's receiving integrations. Runs in the statement that changed the issues, so both commit together.
 */
export function forwardingCte(company: SQL, ids: SQL): SQL {
  return sql`insert into forward_outbox (company_id, integration_id, issue_id)
    select ${company}, f.id, x.id from ${ids} x cross join ${receivingIntegrations(company)} f
    ${bumpOnConflict}
    returning 1`;
}

/** Queues issues for forwarding inside the caller's transaction; returns the integrations that got rows. */
export async function queueForwarding(tx: Queryable, { companyId, issueIds }: { companyId: string; issueIds: readonly string[] }) {
  if (issueIds.length === 0) return [];
  const company = sql`${companyId}::uuid`;
  const rows = rowsOf<{ integration_id: string }>(
    await tx.execute(sql`
      insert into forward_outbox (company_id, integration_id, issue_id)
      select ${company}, f.id, i.id from issues i cross join ${receivingIntegrations(company)} f
      where i.company_id = ${company} and i.id = any(${sql`${`{${issueIds.join(",")}}`}::uuid[]`})
      ${bumpOnConflict}
      returning integration_id`),
  );
  return [...new Set(rows.map((r) => r.integration_id))];
}

/**
 * Starts (or keeps) the integration's push job. `stately` with the integration as singleton key: a burst of changes
 * is one job, and a change during a run guarantees one more run. Inside a transaction, pass it: on PGlite (one
 * connection) anything else deadlocks, and a rollback then removes the job too.
 */
export async function kickForwarding(data: ForwardJobData, { tx, startAfter, ...options }: ForwardQueueOptions & { tx?: Queryable; startAfter?: Date } = {}) {
  const boss = options.boss ?? (await getBoss());
  await boss.send(QUEUES.issueForward, data, {
    singletonKey: data.integrationId,
    ...(startAfter ? { startAfter } : {}),
    ...(tx ? { db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) } : {}),
  });
}

/** Queues issues and kicks their integrations' jobs, in the caller's transaction. */
export async function forwardIssueChanges(tx: Queryable, input: { companyId: string; issueIds: readonly string[] }, options: ForwardQueueOptions = {}) {
  for (const integrationId of await queueForwarding(tx, input)) {
    await kickForwarding({ companyId: input.companyId, integrationId }, { ...options, tx });
  }
}

/** After a sync (whose statements queued rows): kicks every receiving integration of the company with due rows. */
export async function kickDueForwarding(db: Queryable, { companyId }: { companyId?: string } = {}, options: ForwardQueueOptions = {}) {
  const due = await db
    .selectDistinct({ companyId: forwardOutbox.companyId, integrationId: forwardOutbox.integrationId })
    .from(forwardOutbox)
    .where(and(lte(forwardOutbox.notBefore, sql`now()`), ...(companyId ? [eq(forwardOutbox.companyId, companyId)] : [])));
  for (const row of due) await kickForwarding(row, options);
  return due.length;
}

/** Forward existing issues: every issue of the company goes into the outbox (the filters decide at push time). */
export async function queueBackfill(tx: Queryable, { companyId, integrationId }: ForwardJobData, options: ForwardQueueOptions = {}) {
  const company = sql`${companyId}::uuid`;
  const rows = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with q as (
        insert into forward_outbox (company_id, integration_id, issue_id)
        select ${company}, ${integrationId}::uuid, i.id from issues i where i.company_id = ${company}
        ${bumpOnConflict}
        returning 1)
      select count(*)::int as n from q`),
  );
  await kickForwarding({ companyId, integrationId }, { ...options, tx });
  return { queued: Number(rows[0]?.n ?? 0) };
}

/** Retry on the issue page: a failed forward goes back into the outbox. */
export async function retryForward(tx: Queryable, { companyId, issueId }: { companyId: string; issueId: string }, options: ForwardQueueOptions = {}) {
  const [link] = await tx
    .select({ id: forwardLinks.id, integrationId: forwardLinks.integrationId })
    .from(forwardLinks)
    .innerJoin(integrations, eq(integrations.id, forwardLinks.integrationId))
    .where(and(eq(forwardLinks.companyId, companyId), eq(forwardLinks.issueId, issueId), eq(forwardLinks.state, "failed"), eq(integrations.state, "connected")));
  if (!link) return null;
  await tx.update(forwardLinks).set({ state: "pending", lastError: null, attempts: 0, updatedAt: new Date() }).where(eq(forwardLinks.id, link.id));
  await tx
    .insert(forwardOutbox)
    .values({ companyId, integrationId: link.integrationId, issueId })
    .onConflictDoUpdate({
      target: [forwardOutbox.integrationId, forwardOutbox.issueId],
      set: { generation: sql`${forwardOutbox.generation} + 1`, notBefore: sql`now()`, attempts: 0 },
    });
  await kickForwarding({ companyId, integrationId: link.integrationId }, { ...options, tx });
  return { integrationId: link.integrationId };
}

/** Disconnect: what is waiting is dropped; links stay as history (VM keeps its records). */
export async function dropOutbox(tx: Queryable, { companyId, integrationId }: ForwardJobData) {
  await tx.delete(forwardOutbox).where(and(eq(forwardOutbox.companyId, companyId), eq(forwardOutbox.integrationId, integrationId)));
}

/** Backfill progress: what still waits, and where every issue stands. */
export async function forwardingCounts(db: Queryable, { companyId, integrationId }: ForwardJobData) {
  const [waiting] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(forwardOutbox)
    .where(and(eq(forwardOutbox.companyId, companyId), eq(forwardOutbox.integrationId, integrationId)));
  const states = await db
    .select({ state: forwardLinks.state, n: sql<number>`count(*)::int` })
    .from(forwardLinks)
    .where(and(eq(forwardLinks.companyId, companyId), eq(forwardLinks.integrationId, integrationId)))
    .groupBy(forwardLinks.state);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(issues).where(eq(issues.companyId, companyId));
  const by = Object.fromEntries(states.map((s) => [s.state, Number(s.n)])) as Partial<Record<string, number>>;
  return {
    waiting: Number(waiting?.n ?? 0),
    forwarded: by.forwarded ?? 0,
    filtered: by.filtered ?? 0,
    failed: by.failed ?? 0,
    issues: Number(total?.n ?? 0),
  };
}

