// Which Salt labels become applications: by default those under "app:" (named without the prefix), every label
// staying a tag; an admin changes the rule (seeing a preview of what each label becomes), and the next sync
// links the domain to exactly the applications its labels name now. On PostgreSQL and PGlite.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listFqdnFacets } from "@/db/queries/asset-lists";
import { applications, assetApplications, assetTags, auditLog } from "@/db/schema";
import { applicationFromLabel, applicationsFromLabels } from "@/lib/application-labels";
import { defaultSyncDependencies, runDomainSync } from "@/server/sync";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase } from "./fixtures";
import { addDomainAssets, domainAsset, seedSaltTenant, simulatorHosts, type SaltTenant } from "./sync-fixtures";

let sim: SaltSimulator;
let host: string;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 21, hosts: 1, endpointsPerHost: 3, gapsPerEndpoint: 1 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  [host] = simulatorHosts(sim) as [string];
});

afterAll(async () => {
  await sim?.close();
});

describe("the rule", () => {
  it("takes labels under the prefix, case-insensitively, named without it; an empty prefix takes every label", () => {
    expect(applicationFromLabel("app:checkout", "app:")).toBe("checkout");
    expect(applicationFromLabel("APP:Checkout", "app:")).toBe("Checkout");
    expect(applicationFromLabel("env:prod", "app:")).toBeNull();
    expect(applicationFromLabel("app:", "app:")).toBeNull();
    expect(applicationFromLabel("env:prod", "")).toBe("env:prod");
    expect(applicationsFromLabels(["app:b", "env:prod", "app:a", "app:b"], "app:")).toEqual(["a", "b"]);
  });
});

describe.each<TestEngine>(["postgres", "pglite"])("application labels on %s", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
  });

  afterAll(async () => {
    await handle?.close();
  });

  const sync = (t: SaltTenant) =>
    runDomainSync(handle.db, { companyId: t.company.id, integrationId: t.integration.id, domain: host, trigger: "manual" }, defaultSyncDependencies);

  async function domainApplications(t: SaltTenant) {
    const domain = await domainAsset(handle, t.company.id, host);
    const rows = await handle.db
      .select({ name: applications.name })
      .from(assetApplications)
      .innerJoin(applications, eq(applications.id, assetApplications.applicationId))
      .where(and(eq(assetApplications.companyId, t.company.id), eq(assetApplications.assetId, domain!.id)));
    return rows.map((r) => r.name).sort();
  }

  async function domainTags(t: SaltTenant) {
    const domain = await domainAsset(handle, t.company.id, host);
    const rows = await handle.db.select({ tag: assetTags.tag }).from(assetTags).where(eq(assetTags.assetId, domain!.id));
    return rows.map((r) => r.tag).sort();
  }

  it("makes applications of the app: labels only, keeps every label a tag, and follows a changed rule at the next sync", async () => {
    const t = await seedSaltTenant(handle, sim);
    await addDomainAssets(handle, t, [host]);
    expect((await sync(t)).state).toBe("succeeded");

    const hostLabels = sim.state.listHosts({ offset: 0, limit: 1000 }).response.find((h) => h.host === host)!.labels;
    const tags = await domainTags(t);
    expect(tags).toEqual([...hostLabels].sort());
    const appLabel = hostLabels.find((l) => l.startsWith("app:"))!;
    // Endpoint labels count too; the simulator's carry their host's app: label and data/exposure ones.
    expect(await domainApplications(t)).toEqual([appLabel.slice("app:".length)]);

    // An admin previews and saves another rule; the next sync links what it names, and unlinks the rest.
    const admin = await callerFor(t.members.admin.email);
    const preview = await admin.integrations.labels({ id: t.integration.id, applicationLabelPrefix: "team:" });
    const teamLabel = hostLabels.find((l) => l.startsWith("team:"))!;
    expect(preview.labels.find((l) => l.label === teamLabel)).toMatchObject({ application: teamLabel.slice("team:".length) });
    expect(preview.labels.find((l) => l.label === appLabel)).toMatchObject({ application: null });
    await admin.integrations.saveApplicationLabelPrefix({ id: t.integration.id, applicationLabelPrefix: "team:" });
    expect((await sync(t)).state).toBe("succeeded");
    expect(await domainApplications(t)).toEqual([teamLabel.slice("team:".length)]);
    expect(await domainTags(t)).toEqual(tags);
    // The application no asset is in any more leaves the FQDN filter.
    const facets = await listFqdnFacets(handle.db, { companyId: t.company.id });
    expect(facets.applications.map((a) => a.name)).toEqual([teamLabel.slice("team:".length)]);

    const [audit] = await handle.db.select().from(auditLog).where(and(eq(auditLog.companyId, t.company.id), eq(auditLog.action, "integration.application_labels_changed")));
    expect(audit?.details).toEqual({ prefix: { from: "app:", to: "team:" } });
  });

  it("is an admin's to change: an analyst is refused, and control characters are refused", async () => {
    const t = await seedSaltTenant(handle, sim);
    const analyst = await callerFor(t.members.analyst.email);
    await expect(analyst.integrations.saveApplicationLabelPrefix({ id: t.integration.id, applicationLabelPrefix: "" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await callerFor(t.members.admin.email);
    await expect(admin.integrations.saveApplicationLabelPrefix({ id: t.integration.id, applicationLabelPrefix: "app:\u0000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
