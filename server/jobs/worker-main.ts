// `npm run worker`: a separate worker process for deployments with DATABASE_URL. Several can run against
// one PostgreSQL; pg-boss hands each job to one of them.
import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { jobWiring } from "./handlers";
import { startWorking, stopJobsAndDatabase } from "./runtime";

async function main() {
  if (!env.DATABASE_URL) {
    throw new Error(
      "`npm run worker` needs DATABASE_URL. In embedded mode (no DATABASE_URL) the web server runs the worker itself.",
    );
  }
  await startWorking(jobWiring);
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
