// "Sync integration": a member allowed to run imports re-pulls every associated domain (tRPC mutation and the route handler share this).
import type { Queryable } from "@/db/client";
import { getIntegrationById, getLiveIntegration } from "@/db/queries/integrations";
import { type AuditActor, recordAudit } from "@/server/audit";
import { IntegrationNotFoundError } from "./domains";
import { enqueueFullSync, type EnqueueOptions } from "./enqueue";

/** Queues a full sync of the company's integration (by id, or its live Salt Security integration). */
export async function requestManualSync(
  db: Queryable,
  { companyId, integrationId, actor }: { companyId: string; integrationId?: string; actor?: AuditActor },
  options: Omit<EnqueueOptions, "db"> = {},
) {
  const integration = integrationId
    ? await getIntegrationById(db, { companyId, id: integrationId })
    : await getLiveIntegration(db, { companyId, kind: "salt_security" });
  if (!integration || integration.state === "removed") throw new IntegrationNotFoundError();
  const result = await enqueueFullSync({ companyId, integrationId: integration.id, trigger: "manual" }, options);
  if (actor) {
    await recordAudit(db, {
      companyId,
      actor,
      action: "integration.import_requested",
      target: { type: "integration", id: integration.id, label: "Salt Security" },
      details: { domains: result.domains.length, queued: result.queued },
    });
  }
  return { integrationId: integration.id, ...result };
}
