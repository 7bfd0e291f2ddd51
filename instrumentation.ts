// Runs once when the Next.js server starts: validates the environment, prepares the database and, in
// embedded mode (or with RUN_WORKER=inline), runs the job worker inside this process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, before any request: stamp each request with its TCP peer's address (server/security/client-ip.ts).
  const { stampPeerAddresses } = await import("./server/security/client-ip");
  stampPeerAddresses();
  const { env, isEmbedded } = await import("./server/env");
  const { databaseReady } = await import("./server/db");
  await databaseReady();
  const runWorker = env.RUN_WORKER ? env.RUN_WORKER === "inline" : isEmbedded;
  if (runWorker) {
    const { startWorking } = await import("./server/jobs/runtime");
    const { jobWiring } = await import("./server/jobs/handlers");
    await startWorking(jobWiring);
  }
  const { registerShutdown } = await import("./server/shutdown");
  registerShutdown();
}
