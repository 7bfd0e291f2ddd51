// Graceful shutdown for `next start`: with NEXT_MANUAL_SIG_HANDLE=true Next leaves signals to us, so
// running jobs finish and PGlite flushes before the process exits.
import { logger } from "@/server/logger";
import { stopJobsAndDatabase } from "@/server/jobs/runtime";

const globalForShutdown = globalThis as unknown as { __posturaShutdown?: boolean };

export function registerShutdown(): void {
  if (globalForShutdown.__posturaShutdown) return;
  globalForShutdown.__posturaShutdown = true;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("server stopping", { signal });
    stopJobsAndDatabase()
      .catch((error: unknown) => logger.error("shutdown error", { error: String(error) }))
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
