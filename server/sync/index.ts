// Inbound sync from scanner integrations: domain association, queueing, the per-domain run, the webhook receiver.
export { associateDomains, detachDomain, IntegrationNotFoundError, reattachDomains } from "./domains";
export { enqueueDomainSync, enqueueFullSync, domainSyncKey, type EnqueueOptions } from "./enqueue";
export { runDomainSync, originOfTrigger, type DomainSyncInput, type DomainSyncResult, type SyncDependencies } from "./engine";
export { recomputeDomainFigures } from "./figures";
export { createDomainSyncHandler } from "./job";
export { defaultSyncDependencies, openIntegrationSource } from "./sources";
export { receiveSaltWebhook, WEBHOOK_MAX_BYTES, WEBHOOK_TOKEN_HEADER, type WebhookAnswer } from "./webhook";
export { requestManualSync } from "./manual";
export type { SyncSource, SourceEndpoint, SourceFinding, DomainSyncJobData } from "./types";
export {
  announceableChanges,
  getWebhookHealth,
  RECONCILIATION_CRON,
  recordWebhookEvidence,
  runReconciliationTick,
  WEBHOOK_WARNING_MESSAGE,
} from "./reconciliation";
