// Prometheus metrics (prom-client), one registry per process on globalThis (Next.js bundles share nothing
// else). Web processes serve them at GET /api/metrics, `npm run worker` on METRICS_PORT; both require
// `Authorization: Bearer <METRICS_TOKEN>`.
import { timingSafeEqual, createHash } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as unknown as { __posturaMetrics?: Metrics; __posturaQueueDepth?: () => Promise<QueueDepth[]> };

export type QueueDepth = { queue: string; queued: number; active: number; failed: number };

/** Where queue depth comes from: set by the job runtime, so this module does not import the queue. */
export function setQueueDepthSource(source: () => Promise<QueueDepth[]>): void {
  globalForMetrics.__posturaQueueDepth = source;
}

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "postura_" });
  const durationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
  return {
    registry,
    webhookDeliveries: new Counter({
      name: "postura_webhook_deliveries_total",
      help: "Webhook deliveries received, by the HTTP status answered (202 accepted or ignored, 4xx refused, 429 rate-limited).",
      labelNames: ["answer"] as const,
      registers: [registry],
    }),
    jobs: new Histogram({
      name: "postura_job_duration_seconds",
      help: "Time each queue job took in this process, by queue and outcome (failed = threw, and the queue will retry it).",
      labelNames: ["queue", "outcome"] as const,
      buckets: durationBuckets,
      registers: [registry],
    }),
    syncRuns: new Histogram({
      name: "postura_sync_run_duration_seconds",
      help: "Time each domain sync run took in this process, by the state it ended in.",
      labelNames: ["state"] as const,
      buckets: durationBuckets,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "postura_queue_jobs",
      help: "Jobs in each queue by state (queued, active, failed), as pg-boss last counted them; the same from every process.",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
      async collect() {
        const source = globalForMetrics.__posturaQueueDepth;
        if (!source) return;
        try {
          for (const depth of await source()) {
            this.set({ queue: depth.queue, state: "queued" }, depth.queued);
            this.set({ queue: depth.queue, state: "active" }, depth.active);
            this.set({ queue: depth.queue, state: "failed" }, depth.failed);
          }
        } catch (error) {
          logger.warn("queue depth not collected", { error });
        }
      },
    }),
  };
}

export function metrics(): Metrics {
  return (globalForMetrics.__posturaMetrics ??= createMetrics());
}

export function countWebhookDelivery(status: number): void {
  metrics().webhookDeliveries.inc({ answer: String(status) });
}

/** Runs a queue job, recording its duration and whether it threw. */
export async function timeJob<T>(queue: string, job: () => Promise<T>): Promise<T> {
  const stop = metrics().jobs.startTimer({ queue });
  try {
    const result = await job();
    stop({ outcome: "completed" });
    return result;
  } catch (error) {
    stop({ outcome: "failed" });
    throw error;
  }
}

export function observeSyncRun(state: string, seconds: number): void {
  metrics().syncRuns.observe({ state }, seconds);
}

/** Whether `authorization` carries METRICS_TOKEN. Hashing both sides gives equal lengths for timingSafeEqual. */
export function metricsAuthorized(authorization: string | null, token: string | undefined): boolean {
  if (!token) return false;
  const presented = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/** The answer for a scrape: 404 when metrics are off (no token), 401 without the token, else the text format. */
export async function metricsResponse(authorization: string | null): Promise<{ status: number; contentType: string; body: string }> {
  if (!env.METRICS_TOKEN) return { status: 404, contentType: "text/plain", body: "Metrics are off: set METRICS_TOKEN.\n" };
  if (!metricsAuthorized(authorization, env.METRICS_TOKEN)) return { status: 401, contentType: "text/plain", body: "Send Authorization: Bearer <METRICS_TOKEN>.\n" };
  const { registry } = metrics();
  return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
}
