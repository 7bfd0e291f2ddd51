// A tenant connected to the Salt simulator, for the inbound-sync tests: company, members, a Salt integration with
// a stored API key and webhook token, and helpers to read what the sync wrote.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import {
  assets,
  defaultIntegrationSettings,
  type IntegrationSettings,
  integrations,
  issues,
  syncRuns,
} from "@/db/schema";
import { encryptSecret, hashToken } from "@/server/security/secrets";
import type { SaltSimulator } from "@/tools/salt-simulator";
import { POST as webhookPOST } from "@/app/api/v3/integrations/scanners/salt_security/webhook/route";
import { seedCompany } from "./fixtures";

export type SaltTenant = Awaited<ReturnType<typeof seedSaltTenant>>;

export async function seedSaltTenant(
  handle: DatabaseHandle,
  sim: SaltSimulator,
  settings: Partial<IntegrationSettings> = {},
) {
  const { company, members } = await seedCompany(handle);
  const webhookToken = `whk_${randomBytes(24).toString("base64url")}`;
  const [integration] = await handle.db
    .insert(integrations)
    .values({
      companyId: company.id,
      kind: "salt_security",
      state: "connected",
      wizardStep: "done",
      region: "us",
      credentialsEncrypted: encryptSecret(JSON.stringify({ apiKey: sim.keys.usFull.key })),
      canWriteBack: true,
      settings: { ...defaultIntegrationSettings, ...settings },
      webhookTokenHash: hashToken(webhookToken),
      webhookTokenEncrypted: encryptSecret(webhookToken),
    })
    .returning();
  if (!integration) throw new Error("integration insert returned nothing");
  return { company, members, integration, webhookToken };
}

/** The simulator's hosts in seed order. */
export function simulatorHosts(sim: SaltSimulator): string[] {
  return sim.state.listHosts({ offset: 0, limit: 100_000 }).response.map((h) => h.host);
}

export function simulatorGaps(sim: SaltSimulator, host: string) {
  return sim.state.listPostureGaps({ offset: 0, limit: 1000 }, { host }).response;
}

export function simulatorEndpoints(sim: SaltSimulator, host: string) {
  return sim.state.listEndpoints({ offset: 0, limit: 1000 }, { host }).response;
}

export async function domainAsset(handle: DatabaseHandle, companyId: string, host: string) {
  const [row] = await handle.db
    .select()
    .from(assets)
    .where(and(eq(assets.companyId, companyId), eq(assets.assetType, "domain"), eq(assets.externalRef, host)));
  if (!row) throw new Error(`no domain asset for ${host}`);
  return row;
}

export async function issuesOfDomain(handle: DatabaseHandle, domainAssetId: string) {
  return handle.db.select().from(issues).where(eq(issues.domainAssetId, domainAssetId)).orderBy(asc(issues.externalId));
}

export async function issueByExternalId(handle: DatabaseHandle, companyId: string, externalId: string) {
  const [row] = await handle.db
    .select()
    .from(issues)
    .where(and(eq(issues.companyId, companyId), eq(issues.externalId, externalId)));
  if (!row) throw new Error(`no issue for gap ${externalId}`);
  return row;
}

export async function runsOf(handle: DatabaseHandle, integrationId: string) {
  return handle.db.select().from(syncRuns).where(eq(syncRuns.integrationId, integrationId)).orderBy(asc(syncRuns.queuedAt));
}

/**
 * Every row version of the company's assets, issues, tags, links and history: xmin changes whenever PostgreSQL
 * writes a row, even with identical values, so equal fingerprints mean nothing was written.
 */
export async function rowFingerprint(handle: DatabaseHandle, companyId: string) {
  const query = sql`
    select 'asset' as kind, id::text as id, xmin::text as version, updated_at::text as updated from assets where company_id = ${companyId}
    union all select 'issue', id::text, xmin::text, updated_at::text from issues where company_id = ${companyId}
    union all select 'tag', asset_id::text || tag, xmin::text, '' from asset_tags where company_id = ${companyId}
    union all select 'app', id::text, xmin::text, '' from applications where company_id = ${companyId}
    union all select 'link', asset_id::text || application_id::text, xmin::text, '' from asset_applications where company_id = ${companyId}
    union all select 'history', id::text, xmin::text, '' from status_history where company_id = ${companyId}
    order by 1, 2`;
  const result = (await handle.db.execute(query)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, string>[];
  return rows.map((r) => `${r.kind}:${r.id}:${r.version}:${r.updated}`);
}

export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Postura's real webhook route, served on a loopback port so the simulator's Custom Webhook can call it. */
export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await webhookPOST(
      new Request("http://localhost/api/v3/integrations/scanners/salt_security/webhook", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      }),
    );
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The Custom Webhook body template Postura documents, for a tenant. */
export function webhookTemplate(tenant: SaltTenant): string {
  return `{"company_id": "${tenant.company.publicId}", "webhook_token": "${tenant.webhookToken}", "reference": "{{host}}", "event": "{{eventType}}"}`;
}

/** Associates Salt hosts with the tenant's integration as FQDN assets, queueing nothing: the test drives the runs. */
export async function addDomainAssets(handle: DatabaseHandle, tenant: SaltTenant, hosts: string[]) {
  await handle.db.insert(assets).values(
    hosts.map((host) => ({
      companyId: tenant.company.id,
      assetType: "domain" as const,
      name: host,
      externalRef: host,
      source: "salt_security" as const,
      integrationId: tenant.integration.id,
    })),
  );
}
