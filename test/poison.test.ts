// Poison records from Salt, injected through the simulator's control API over HTTP, on PostgreSQL and PGlite:
// NUL bytes, a 10 kB path, label and category, unparseable and absurd dates, a right-to-left override, and a
// mix with a record that cannot be taken. Each run ends (succeeded / partial / failed, never "running"), the bad
// record costs only itself and is named, and the rest of the domain imports.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listFqdns } from "@/db/queries/asset-lists";
import { assets, assetTags, syncRuns } from "@/db/schema";
import { describeError } from "@/server/error-fields";
import { defaultSyncDependencies, runDomainSync, type SyncDependencies } from "@/server/sync";
import { closeAbandonedRuns, RUN_ABANDONED_AFTER_MS } from "@/server/sync/runs";
import type { SyncSource } from "@/server/sync/types";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createTestDatabase, type TestEngine } from "./databases";
import { installDatabase } from "./fixtures";
import { addDomainAssets, domainAsset, issueByExternalId, issuesOfDomain, runsOf, seedSaltTenant, simulatorGaps, simulatorHosts, type SaltTenant } from "./sync-fixtures";

let sim: SaltSimulator;
let host: string;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 33, hosts: 2, endpointsPerHost: 4, gapsPerEndpoint: 2 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  [host] = simulatorHosts(sim) as [string];
});

afterAll(async () => {
  await sim?.close();
});

/** The simulator's control API, as a tester would drive it. */
async function control<T = unknown>(path: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sim.url}/__control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

type Gap = { postureGapId: string };

async function addEndpointWithGap(endpointPath: string, gap: Record<string, unknown> = {}, labels?: string[]) {
  await control("/endpoints", "POST", { host, method: "GET", endpointPath, ...(labels ? { labels } : {}) });
  return control<Gap>("/gaps", "POST", { host, method: "GET", endpointPath, ...gap });
}

const LONG = 10_000;

describe.each<TestEngine>(["postgres", "pglite"])("poison records from Salt on %s", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
  });

  afterAll(async () => {
    await handle?.close();
  });

  beforeEach(async () => {
    sim.reset();
    installDatabase(handle);
  });

  async function tenant() {
    const t = await seedSaltTenant(handle, sim);
    await addDomainAssets(handle, t, [host]);
    return t;
  }

  function sync(t: SaltTenant, deps: SyncDependencies = defaultSyncDependencies) {
    return runDomainSync(handle.db, { companyId: t.company.id, integrationId: t.integration.id, domain: host, trigger: "manual" }, deps);
  }

  async function expectEveryOtherGapImported(t: SaltTenant, except: string[] = []) {
    const fqdn = await domainAsset(handle, t.company.id, host);
    const imported = new Set((await issuesOfDomain(handle, fqdn.id)).map((i) => i.externalId));
    const expected = simulatorGaps(sim, host)
      .map((g) => g.postureGapId)
      .filter((id) => !except.includes(id));
    expect(expected.filter((id) => !imported.has(id))).toEqual([]);
    expect(imported.size).toBe(expected.length);
  }

  it("imports a gap whose name holds a NUL byte, without the NUL", async () => {
    const t = await tenant();
    const gap = await control<Gap>(`/gaps`, "POST", {
      host,
      method: simulatorGaps(sim, host)[0]!.method,
      endpointPath: simulatorGaps(sim, host)[0]!.endpointPath,
      postureGapName: "Broken\u0000 object level authorization",
    });

    const result = await sync(t);

    expect(result.state).toBe("succeeded");
    expect((await issueByExternalId(handle, t.company.id, gap.postureGapId)).title).toBe("Broken object level authorization");
    await expectEveryOtherGapImported(t);
  });

  it("imports a 10 kB endpoint path whole, with its name and key bounded for their indexes", async () => {
    const t = await tenant();
    const path = `/v1/${"a".repeat(LONG)}`;
    const gap = await addEndpointWithGap(path);

    const result = await sync(t);

    expect(result.state).toBe("succeeded");
    const issue = await issueByExternalId(handle, t.company.id, gap.postureGapId);
    const [api] = await handle.db.select().from(assets).where(eq(assets.id, issue.assetId));
    expect(api!.path).toBe(path);
    expect(api!.name.length).toBeLessThanOrEqual(500);
    expect(api!.externalRef.length).toBeLessThanOrEqual(500);
    await expectEveryOtherGapImported(t);

    // The bounded key is stable: a re-sync finds the same API asset instead of adding another.
    const again = await sync(t);
    expect(again.counts).toMatchObject({ assetsCreated: 0, issuesCreated: 0 });
  });

  it("imports 10 kB labels and categories, bounded where they are indexed", async () => {
    const t = await tenant();
    const label = `team:${"x".repeat(LONG)}`;
    const category = `Category ${"y".repeat(LONG)}`;
    await control(`/hosts/${encodeURIComponent(host)}`, "PATCH", { labels: [label, "env:prod"] });
    const gap = await addEndpointWithGap("/v1/labelled", { categories: [category] }, [label]);

    const result = await sync(t);

    expect(result.state).toBe("succeeded");
    const issue = await issueByExternalId(handle, t.company.id, gap.postureGapId);
    expect(issue.category!.length).toBeLessThanOrEqual(200);
    expect(issue.category!.startsWith("Category yyy")).toBe(true);
    expect(issue.categories[0]!.length).toBeLessThanOrEqual(2_000);
    const fqdn = await domainAsset(handle, t.company.id, host);
    const tags = await handle.db.select().from(assetTags).where(eq(assetTags.assetId, fqdn.id));
    expect(tags.map((tg) => tg.tag)).toContain("env:prod");
    expect(tags.every((tg) => tg.tag.length <= 200)).toBe(true);
    expect(tags.some((tg) => tg.tag.startsWith("team:xxx"))).toBe(true);
    await expectEveryOtherGapImported(t);
  });

  it("imports gaps whose detected date is unparseable or outside any calendar, with the date unknown", async () => {
    const t = await tenant();
    const [first, second] = simulatorGaps(sim, host);
    const garbled = await control<Gap>("/gaps", "POST", { host, method: first!.method, endpointPath: first!.endpointPath, detected: "yesterday-ish" });
    const absurd = await control<Gap>("/gaps", "POST", {
      host,
      method: second!.method,
      endpointPath: second!.endpointPath,
      detected: "+275760-09-13T00:00:00.000Z",
    });

    const result = await sync(t);

    expect(result.state).toBe("succeeded");
    expect((await issueByExternalId(handle, t.company.id, garbled.postureGapId)).detectedAt).toBeNull();
    expect((await issueByExternalId(handle, t.company.id, absurd.postureGapId)).detectedAt).toBeNull();
    await expectEveryOtherGapImported(t);
  });

  it("removes a right-to-left override from an endpoint path", async () => {
    const t = await tenant();
    const gap = await addEndpointWithGap("/v1/files/\u202Efdp.exe");

    const result = await sync(t);

    expect(result.state).toBe("succeeded");
    const issue = await issueByExternalId(handle, t.company.id, gap.postureGapId);
    const [api] = await handle.db.select().from(assets).where(eq(assets.id, issue.assetId));
    expect(api!.path).toBe("/v1/files/fdp.exe");
    expect(api!.name).toBe("GET /v1/files/fdp.exe");
  });

  it("skips and names a record that cannot be taken, imports the rest of a mixed page, and shows the partial run", async () => {
    const t = await tenant();
    const [first] = simulatorGaps(sim, host);
    await control("/gaps", "POST", { host, method: first!.method, endpointPath: first!.endpointPath, postureGapName: "NUL\u0000name" });
    await addEndpointWithGap(`/v1/${"p".repeat(LONG)}\u0000`, { categories: [`\u202E${"c".repeat(LONG)}`], detected: "not a date" });
    // A ticket id that is not a string breaks Salt's documented shape: this record cannot be taken.
    const broken = await control<Gap>("/gaps", "POST", { host, method: first!.method, endpointPath: first!.endpointPath, tickets: [{ ticketId: 42 }] });

    const result = await sync(t);

    expect(result.state).toBe("partial");
    expect(result.counts.recordsSkipped).toBe(1);
    expect(result.skipped).toEqual([{ kind: "finding", id: broken.postureGapId, reason: expect.stringContaining("tickets[0].ticketId") }]);
    await expectEveryOtherGapImported(t, [broken.postureGapId]);

    const [run] = await runsOf(handle, t.integration.id);
    expect(run).toMatchObject({ state: "partial", errorMessage: expect.stringMatching(/^1 record skipped: finding [0-9a-f]+ \(tickets\[0\]\.ticketId/) });
    expect(run!.skippedRecords).toHaveLength(1);

    // The FQDN list shows the partial last sync with its reason.
    const list = await listFqdns(handle.db, { companyId: t.company.id, sort: "name", dir: "asc", page: 1 });
    expect(list.rows[0]).toMatchObject({ name: host, lastRunState: "partial", lastRunMessage: run!.errorMessage });
    expect(list.rows[0]!.lastSyncedAt).not.toBeNull();

    // A skipped record is seen, not absent: an issue it had is not closed, and the next clean run takes it.
    await control(`/gaps/${broken.postureGapId}`, "PATCH", { tickets: [{ ticketId: "JIRA-42" }] });
    const clean = await sync(t);
    expect(clean.state).toBe("succeeded");
    expect(clean.counts.issuesClosed).toBe(0);
    await expectEveryOtherGapImported(t);
  });

  it("isolates a record the database refuses by splitting its page, and imports the others", async () => {
    const t = await tenant();
    const [victim] = simulatorGaps(sim, host);
    // Stands in for any refusal the cleaning cannot foresee: the database raises a data exception for one title.
    await control(`/gaps/${victim!.postureGapId}`, "PATCH", { postureGapName: "refuse me" });
    await handle.db.execute(sql.raw(`
      create or replace function poison_probe() returns trigger language plpgsql as $$
      begin
        if new.title = 'refuse me' then raise exception 'refused for the test' using errcode = '22023'; end if;
        return new;
      end $$`));
    await handle.db.execute(sql.raw("create trigger poison_probe before insert or update on issues for each row execute function poison_probe()"));
    try {
      const result = await sync(t);

      expect(result.state).toBe("partial");
      expect(result.skipped).toEqual([{ kind: "finding", id: victim!.postureGapId, reason: "refused by the database: error 22023" }]);
      await expectEveryOtherGapImported(t, [victim!.postureGapId]);
    } finally {
      await handle.db.execute(sql.raw("drop trigger if exists poison_probe on issues"));
    }
  });

  it("records a failure whose message holds a NUL byte, and never leaves the run running", async () => {
    const t = await tenant();
    const failing: SyncDependencies = {
      openSource: (integration) => {
        const source = defaultSyncDependencies.openSource(integration) as SyncSource;
        return {
          ...source,
          async *findings() {
            throw new Error("gap name Broken\u0000auth\nwas refused");
          },
        };
      },
    };

    const result = await sync(t, failing);

    expect(result.state).toBe("failed");
    const [run] = await runsOf(handle, t.integration.id);
    expect(run).toMatchObject({ state: "failed", errorCode: "internal_error", errorMessage: "gap name Brokenauth was refused" });
    expect(run!.finishedAt).not.toBeNull();

    // The FQDN list and the domain show the failed last sync with its reason.
    const list = await listFqdns(handle.db, { companyId: t.company.id, sort: "name", dir: "asc", page: 1 });
    expect(list.rows[0]).toMatchObject({ lastRunState: "failed", lastRunMessage: "gap name Brokenauth was refused", lastSyncedAt: null });
  });

  it("closes the run a killed worker left running when the retry starts", async () => {
    const t = await tenant();
    const [orphan] = await handle.db
      .insert(syncRuns)
      .values({ companyId: t.company.id, integrationId: t.integration.id, domain: host, trigger: "webhook", state: "running", startedAt: new Date() })
      .returning();

    const result = await sync(t);

    expect(result.state).toBe("succeeded");
    const runs = await runsOf(handle, t.integration.id);
    expect(runs.filter((r) => r.state === "running" || r.state === "queued")).toEqual([]);
    expect(runs.find((r) => r.id === orphan!.id)).toMatchObject({ state: "failed", errorCode: "worker_stopped", finishedAt: expect.any(Date) });
    // Only this domain's orphan is closed: another domain's live run is left alone.
    const [other] = await handle.db
      .insert(syncRuns)
      .values({ companyId: t.company.id, integrationId: t.integration.id, domain: "other.example.com", trigger: "manual", state: "running" })
      .returning();
    await sync(t);
    const [stillRunning] = await handle.db.select().from(syncRuns).where(and(eq(syncRuns.id, other!.id)));
    expect(stillRunning!.state).toBe("running");
  });

  it("ends a run whose worker was killed on the job's last attempt, once the queue would have expired it", async () => {
    const t = await tenant();
    const startedAt = new Date("2026-11-01T10:00:00Z");
    const [abandoned] = await handle.db
      .insert(syncRuns)
      .values({ companyId: t.company.id, integrationId: t.integration.id, domain: host, trigger: "webhook", state: "running", startedAt })
      .returning();
    const [live] = await handle.db
      .insert(syncRuns)
      .values({ companyId: t.company.id, integrationId: t.integration.id, domain: "other.example.com", trigger: "manual", state: "running", startedAt: new Date(startedAt.getTime() + RUN_ABANDONED_AFTER_MS) })
      .returning();

    // Still within the queue's expiry: nothing is closed.
    // (Each reconciliation tick runs this sweep.)
    expect(await closeAbandonedRuns(handle.db, new Date(startedAt.getTime() + RUN_ABANDONED_AFTER_MS - 1_000))).toBe(0);
    expect(await closeAbandonedRuns(handle.db, new Date(startedAt.getTime() + RUN_ABANDONED_AFTER_MS + 1_000))).toBe(1);
    const runs = await runsOf(handle, t.integration.id);
    expect(runs.find((r) => r.id === abandoned!.id)).toMatchObject({ state: "failed", errorCode: "worker_stopped", finishedAt: expect.any(Date) });
    expect(runs.find((r) => r.id === live!.id)!.state).toBe("running");
    const list = await listFqdns(handle.db, { companyId: t.company.id, sort: "name", dir: "asc", page: 1 });
    expect(list.rows.find((r) => r.name === host)).toMatchObject({ lastRunState: "failed" });
  });

  it("logs errors with their message instead of [object Object]", () => {
    expect(describeError(new Error("queue down\u0000"))).toMatchObject({ error: { name: "Error", message: "queue down\u0000" } });
    expect(describeError({ code: 57, detail: "x" })).toEqual({ error: { message: '{"code":57,"detail":"x"}' } });
    expect(JSON.stringify(describeError(new Error("a\u0000b")))).not.toContain("\u0000");
  });
});
