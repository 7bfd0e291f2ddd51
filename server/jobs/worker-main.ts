// `npm run worker`: a separate worker process for deployments with DATABASE_URL. Several can run against
// one PostgreSQL; pg-boss hands each job to one of them.
import { createServer } from "node:http";
import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { metricsResponse } from "@/server/metrics";
import { jobWiring } from "./handlers";
import { startWorking, stopJobsAndDatabase } from "./runtime";

/** A worker has no web server; with METRICS_PORT it serves GET /metrics (same token as the web processes). */
function serveMetrics(port: number): void {
  const server = createServer(async (request, response) => {
    if (request.method !== "GET" || request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    const answer = await metricsResponse(request.headers.authorization ?? null);
    response.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
  });
  server.listen(port, () => logger.info("worker metrics listening", { port, path: "/metrics" }));
  server.unref();
}

async function main() {
  if (!env.DATABASE_URL) {
    throw new Error(
      "`npm run worker` needs DATABASE_URL. In embedded mode (no DATABASE_URL) the web server runs the worker itself.",
    );
  }
  await startWorking(jobWiring);
  if (env.METRICS_PORT) serveMetrics(env.METRICS_PORT);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("worker stopping", { signal });
    await stopJobsAndDatabase();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  logger.error("worker failed to start", { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
