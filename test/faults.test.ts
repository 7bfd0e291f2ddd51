// Fault suite: the simulator answers a share of calls with 429 (Retry-After in seconds and as an HTTP date), 5xx,
// latency, hangs and connection resets during a full sync. Each domain's sync completes or fails with a classified
// error within its bounds; a failure changes nothing it should not; a clean run afterwards matches Salt exactly.
import { and, count, countDistinct, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, issues } from "@/db/schema";
import { saltClientForIntegration } from "@/server/integrations/salt-security/integration-client";
import { saltSyncSource } from "@/server/integrations/salt-security/sync-source";
import { type DomainSyncResult, runDomainSync, type SyncDependencies } from "@/server/sync";
import { type FaultSpec, startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { installDatabase } from "./fixtures";
import { seedSaltTenant, simulatorEndpoints, simulatorGaps, simulatorHosts, type SaltTenant, addDomainAssets } from "./sync-fixtures";

const SEED = { seed: 21, hosts: 3, endpointsPerHost: 8, gapsPerEndpoint: 3 };
/** Small pages and short bounds, so a fault hits many calls and the suite stays quick. */
const fastClient: SyncDependencies = {
  openSource: (integration) =>
    saltSyncSource(
      saltClientForIntegration(integration, {
        pageSize: 10,
        timeoutMs: 800,
        retry: { maxAttempts: 4, maxTotalWaitMs: 4_000, initialDelayMs: 20, maxDelayMs: 200 },
      }),
      integration.settings,
    ),
};
const CLASSIFIED = ["rate_limited", "salt_unavailable", "network_unreachable", "timeout"];
/** Per domain: 4 attempts × (0.8 s timeout + waits ≤ 4 s) per request is the client's bound; the run adds little. */
const RUN_BOUND_MS = 30_000;

let handle: DatabaseHandle;
let sim: SaltSimulator;
let hosts: string[];

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, ...SEED });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  hosts = simulatorHosts(sim);
});

afterAll(async () => {
  await handle?.close();
  await sim?.close();
});

beforeEach(() => {
  sim.reset();
});

async function tenantWithDomains() {
  const tenant = await seedSaltTenant(handle, sim);
  await addDomainAssets(handle, tenant, hosts);
  return tenant;
}

async function fullSync(tenant: SaltTenant): Promise<{ host: string; result: DomainSyncResult; ms: number }[]> {
  return Promise.all(
    hosts.map(async (host) => {
      const started = Date.now();
      const result = await runDomainSync(
        handle.db,
        { companyId: tenant.company.id, integrationId: tenant.integration.id, domain: host, trigger: "manual" },
        fastClient,
      );
      return { host, result, ms: Date.now() - started };
    }),
  );
}

async function expectMatchesSalt(tenant: SaltTenant) {
  for (const host of hosts) {
    const [domain] = await handle.db
      .select({ id: assets.id })
      .from(assets)
      .where(and(eq(assets.companyId, tenant.company.id), eq(assets.externalRef, host), eq(assets.assetType, "domain")));
    const [issueCounts] = await handle.db
      .select({ n: count(), distinct: countDistinct(issues.externalId) })
      .from(issues)
      .where(eq(issues.domainAssetId, domain!.id));
    const [apiCount] = await handle.db
      .select({ n: count() })
      .from(assets)
      .where(and(eq(assets.parentId, domain!.id), eq(assets.active, true)));
    expect({ host, issues: issueCounts!.n, distinct: issueCounts!.distinct, apis: apiCount!.n }).toEqual({
      host,
      issues: simulatorGaps(sim, host).length,
      distinct: simulatorGaps(sim, host).length,
      apis: simulatorEndpoints(sim, host).length,
    });
  }
}

/** Built when each test starts, so an HTTP-date Retry-After lies in the future. */
const scenarios: [string, () => FaultSpec[]][] = [
  ["429 with Retry-After in seconds on 30% of calls", () => [{ kind: "429", rate: 0.3, retryAfter: { seconds: 1 } }]],
  [
    "429 with Retry-After as an HTTP date on 30% of calls",
    () => [{ kind: "429", rate: 0.3, retryAfter: { httpDate: new Date(Date.now() + 2000).toUTCString() } }],
  ],
  [
    "500, 502 and 503 on 30% of calls",
    () => [
      { kind: "500", rate: 0.1 },
      { kind: "502", rate: 0.1 },
      { kind: "503", rate: 0.1 },
    ],
  ],
  ["added latency on 30% of calls", () => [{ kind: "latency", rate: 0.3, latencyMs: 150 }]],
  ["hangs on 10% of calls", () => [{ kind: "hang", rate: 0.1 }]],
  ["connection resets on 10% of calls", () => [{ kind: "reset", rate: 0.1 }]],
];

describe("a full sync under faults", () => {
  it.each(scenarios)("%s: completes or fails classified within bounds, and stays consistent", async (_name, faults) => {
    const tenant = await tenantWithDomains();
    for (const fault of faults()) sim.injectFault(fault);

    const runs = await fullSync(tenant);
    for (const { host, result, ms } of runs) {
      expect(ms, host).toBeLessThan(RUN_BOUND_MS);
      if (result.state === "failed") {
        expect(CLASSIFIED, `${host}: ${result.error?.code} ${result.error?.message}`).toContain(result.error?.code);
        // A run that did not read the whole domain acts on no absence.
        expect(result.counts.issuesClosed + result.counts.assetsDeactivated).toBe(0);
      }
    }
    expect(sim.faults().reduce((hits, f) => hits + f.hits, 0)).toBeGreaterThan(0);

    sim.clearFaults();
    const clean = await fullSync(tenant);
    expect(clean.map((r) => r.result.state)).toEqual(hosts.map(() => "succeeded"));
    await expectMatchesSalt(tenant);
  }, 120_000);
});
