// `npx tsx bench/trace-domain.ts`: every round trip one domain's sync job makes, in order, with when it was sent —
// the first sync and then an unchanged re-sync of the same domain, through the real domain-sync handler, on a
// throwaway PostgreSQL database and the Salt simulator (20 hosts × 100 endpoints × 5 gaps). Statements are counted
// as postgres.js sends them; HTTP requests as the Salt client's fetch makes them. A tool for cutting per-domain
// round trips (bench/RESULTS.md, issue 14), not a measurement of speed.
import { randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createThrowawayDatabase, newDatabase, posturaEnv } from "./lib";

async function main() {
  const planned = newDatabase("postura_trace");
  Object.assign(process.env, posturaEnv(planned.url));
  const database = await createThrowawayDatabase(planned.name);
  const schema = await import("@/db/schema");
  const { openDatabase } = await import("@/db/client");
  const { startSaltSimulator } = await import("@/tools/salt-simulator");
  const { seedSaltTenant, simulatorHosts, addDomainAssets } = await import("@/test/sync-fixtures");
  const { createDomainSyncHandler } = await import("@/server/sync/job");
  const sim = await startSaltSimulator({ port: 0, seed: 42, hosts: 20, endpointsPerHost: 100, gapsPerEndpoint: 5 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;

  let trace: string[] | null = null;
  let t0 = 0;
  const at = () => `${(performance.now() - t0).toFixed(1).padStart(7)} ms`;
  const sql = postgres(database.url, {
    max: 4,
    onnotice: () => {},
    debug: (_connection, query) => trace?.push(`${at()}  sql   ${query.replace(/\s+/g, " ").trim().slice(0, 110)}`),
  });
  const db = drizzle(sql, { schema }) as unknown as import("@/db/client").Database;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const sent = at();
    const response = await realFetch(input, init);
    trace?.push(`${sent}  http  ${url.replace(/^https?:\/\/[^/]+/, "")}`);
    return response;
  };

  const seedHandle = openDatabase({ url: database.url }, { poolSize: 1 });
  try {
    const tenant = await seedSaltTenant(seedHandle, sim);
    const hosts = simulatorHosts(sim);
    await addDomainAssets(seedHandle, tenant, hosts);
    const handler = createDomainSyncHandler(() => db);
    // The first sync of every domain (untraced) brings the tables to their steady state, then the traced runs.
    for (const [index, host] of hosts.entries()) {
      const trigger = "first_sync" as const;
      const data = { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger, runId: randomUUID() };
      if (index === 0) {
        trace = [];
        t0 = performance.now();
      }
      await handler([{ id: randomUUID(), name: "domain-sync", data, retryCount: 0 } as never]);
      if (index === 0) {
        print(`first sync of ${host}`, trace!, performance.now() - t0);
        trace = null;
      }
    }
    for (const host of hosts.slice(0, 3)) {
      const data = { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger: "manual" as const, runId: randomUUID() };
      trace = [];
      t0 = performance.now();
      await handler([{ id: randomUUID(), name: "domain-sync", data, retryCount: 0 } as never]);
      print(`unchanged re-sync of ${host}`, trace, performance.now() - t0);
      trace = null;
    }
  } finally {
    globalThis.fetch = realFetch;
    await sql.end({ timeout: 1 });
    await seedHandle.close();
    await sim.close();
    await database.drop();
  }
}

function print(title: string, lines: string[], totalMs: number) {
  const statements = lines.filter((l) => l.includes("  sql  ")).length;
  const requests = lines.filter((l) => l.includes("  http  ")).length;
  console.log(`\n== ${title}: ${statements} statements, ${requests} HTTP requests, ${totalMs.toFixed(1)} ms`);
  for (const line of lines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
