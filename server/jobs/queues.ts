// Every queue Postura uses, with its policy. Producers import the names from here; the worker registers
// a handler for each.
import type { Queue } from "pg-boss";

export const QUEUES = {
  /**
   * Re-sync of one associated domain. `stately` + singletonKey per domain keeps at most one queued and one
   * running job per domain: a burst of webhooks coalesces into one run, and a trigger that arrives during a
   * run guarantees exactly one more run after it (nothing is dropped).
   */
  domainSync: "domain-sync",
  /**
   * A connector import (Tenable.io) of one company's connector. `stately` + singletonKey per connector: one running
   * and at most one waiting; a second request while one waits joins it.
   */
  connectorImport: "connector-import",
  /** Status write-back of one outbox row to the integration's API. */
  statusWriteBack: "status-write-back",
  /** Scheduled full sync per integration that catches changes no webhook announced. */
  reconciliation: "reconciliation",
  /**
   * Pushes an integration's forwarding outbox (Snapsec VM). `stately` + singletonKey per integration: changes
   * coalesce into one run, and a change during a run guarantees one more.
   */
  issueForward: "issue-forward",
  /** Scheduled: kicks integrations whose outbox has due rows (a retry's wait is over, or a kick was lost). */
  forwardSweep: "forward-sweep",
  /** Scheduled deletion of webhook deliveries older than WEBHOOK_DELIVERY_RETENTION_DAYS. */
  webhookDeliveryPurge: "webhook-delivery-purge",
  /** Scheduled return of expired risk acceptances to Identified (server/issues/bulk.ts). */
  riskAcceptanceExpiry: "risk-acceptance-expiry",
  /**
   * Sends a company's due notifications (server/notifications/). `stately` + singletonKey per company: a burst of
   * events is one run that coalesces them into one message per rule.
   */
  notificationDelivery: "notification-delivery",
  /** Scheduled: kicks companies with due notifications (a retry's wait is over) and looks for SLA breaches. */
  notificationSweep: "notification-sweep",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const queueDefinitions: ReadonlyArray<{ name: QueueName; options: Omit<Queue, "name"> }> = [
  {
    name: QUEUES.domainSync,
    // A killed worker's run comes back after 10 s without a heartbeat (pg-boss's minimum).
    options: { policy: "stately", notify: true, retryLimit: 10, retryDelay: 2, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 30 * 60, heartbeatSeconds: 10 },
  },
  {
    name: QUEUES.connectorImport,
    // A killed worker's import comes back after 10 s without a heartbeat and resumes the export (409). Ordinary
    // failures are recorded on the run and not retried: the member sees the reason and runs it again.
    options: { policy: "stately", notify: true, retryLimit: 3, retryDelay: 2, expireInSeconds: 3 * 60 * 60, heartbeatSeconds: 10 },
  },
  {
    name: QUEUES.statusWriteBack,
    options: { policy: "standard", notify: true, retryLimit: 5, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 300 },
  },
  {
    name: QUEUES.reconciliation,
    options: { policy: "stately", retryLimit: 1, expireInSeconds: 60 * 60 },
  },
  {
    name: QUEUES.issueForward,
    // Retries live in the outbox (attempts, not_before), so a job failing is a bug or a crash: retry it soon.
    options: { policy: "stately", notify: true, retryLimit: 5, retryDelay: 2, retryBackoff: true, retryDelayMax: 60, expireInSeconds: 15 * 60, heartbeatSeconds: 10 },
  },
  {
    name: QUEUES.forwardSweep,
    options: { policy: "stately", retryLimit: 1, expireInSeconds: 5 * 60 },
  },
  {
    name: QUEUES.webhookDeliveryPurge,
    options: { policy: "stately", retryLimit: 2, expireInSeconds: 15 * 60 },
  },
  {
    name: QUEUES.notificationDelivery,
    // Retries live in the outbox (attempts, not_before), so a job failing is a bug or a crash: retry it soon.
    options: { policy: "stately", notify: true, retryLimit: 5, retryDelay: 2, retryBackoff: true, retryDelayMax: 60, expireInSeconds: 5 * 60 },
  },
  {
    name: QUEUES.notificationSweep,
    options: { policy: "stately", retryLimit: 1, expireInSeconds: 5 * 60 },
  },
  {
    name: QUEUES.riskAcceptanceExpiry,
    options: { policy: "stately", retryLimit: 2, expireInSeconds: 15 * 60 },
  },
];
