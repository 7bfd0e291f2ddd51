// Where an issue's forwarded record is, for the issue page: in an assessment since when, waiting, filtered out
// (why), or failed (why, with Retry). Null when the company forwards to no integration.
import { and, eq, ne } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { forwardLinks, forwardOutbox, integrations } from "@/db/schema";

export async function issueForwardState(db: Queryable, { companyId, issueId }: { companyId: string; issueId: string }) {
  const [integration] = await db
    .select({ id: integrations.id, state: integrations.state })
    .from(integrations)
    .where(and(eq(integrations.companyId, companyId), eq(integrations.kind, "snapsec_vm"), ne(integrations.state, "removed")));
  if (!integration || integration.state !== "connected") return null;
  const [link] = await db
    .select()
    .from(forwardLinks)
    .where(and(eq(forwardLinks.companyId, companyId), eq(forwardLinks.integrationId, integration.id), eq(forwardLinks.issueId, issueId)));
  const [waiting] = await db
    .select({ attempts: forwardOutbox.attempts, notBefore: forwardOutbox.notBefore })
    .from(forwardOutbox)
    .where(and(eq(forwardOutbox.companyId, companyId), eq(forwardOutbox.integrationId, integration.id), eq(forwardOutbox.issueId, issueId)));
  return {
    integration: "Snapsec VM" as const,
    state: link?.state ?? (waiting ? ("pending" as const) : null),
    /** A change waits to be pushed (after a failed attempt, `retrying`). */
    waiting: waiting ? { retrying: waiting.attempts > 0, notBefore: waiting.notBefore } : null,
    assessmentName: link?.assessmentName ?? null,
    externalId: link?.externalId ?? null,
    since: link?.firstForwardedAt ?? null,
    lastForwardedAt: link?.lastForwardedAt ?? null,
    reason: link?.lastError ?? null,
  };
}
