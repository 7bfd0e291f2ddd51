// Input fuzzing with fast-check: the webhook answers generated bodies and headers only with its documented codes
// and queues nothing for them; every tRPC procedure answers generated input only with typed errors.
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { POST as webhookPOST } from "@/app/api/v3/integrations/scanners/salt_security/webhook/route";
import { appRouter } from "@/server/api/root";
import { QUEUES } from "@/server/jobs/queues";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { startSaltSimulator, type SaltSimulator } from "@/tools/salt-simulator";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase } from "./fixtures";
import { seedSaltTenant, simulatorHosts, type SaltTenant, addDomainAssets } from "./sync-fixtures";
import { PEER_ADDRESS_HEADER } from "@/server/security/client-ip";

let handle: DatabaseHandle;
let sim: SaltSimulator;
let boss: PgBoss;
let tenant: SaltTenant;
let host: string;

beforeAll(async () => {
  sim = await startSaltSimulator({ port: 0, seed: 9, hosts: 2, endpointsPerHost: 3, gapsPerEndpoint: 1 });
  process.env.SALT_US_BASE_URL = sim.baseUrls.us;
  process.env.SALT_EU_BASE_URL = sim.baseUrls.eu;
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
  tenant = await seedSaltTenant(handle, sim);
  host = simulatorHosts(sim)[0]!;
  await addDomainAssets(handle, tenant, [host]);
});

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await handle?.close();
  await sim?.close();
});

async function queuedJobs(): Promise<number> {
  const result = await handle.db.execute(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.domainSync}`);
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { n: number }[];
  return Number(rows[0]?.n ?? 0);
}

/** Bodies close to the contract as well as far from it: what a broken template or a stranger might send. */
function webhookBodies(): fc.Arbitrary<string> {
  const nearValid = fc.record(
    {
      company_id: fc.oneof(fc.constant(tenant.company.publicId), fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null)),
      webhook_token: fc.oneof(fc.string({ maxLength: 60 }), fc.constant(`${tenant.webhookToken}x`), fc.constant(undefined), fc.integer()),
      reference: fc.oneof(fc.constant(host), fc.constant("{{host}}"), fc.string({ maxLength: 300 }), fc.constant(undefined)),
      event: fc.oneof(fc.constant("{{eventType}}"), fc.string({ maxLength: 250 }), fc.constant(undefined), fc.boolean()),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 5, arbitrary: nearValid.map((body) => JSON.stringify(body)) },
    { weight: 2, arbitrary: fc.json() },
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 4 }).map((s) => s.repeat(70_000 / s.length)) },
  );
}

const webhookHeaders = fc.record(
  {
    "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
    "x-postura-webhook-token": fc.string({ minLength: 1, maxLength: 80 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
  },
  { requiredKeys: [] },
);

it("answers 10,000 generated webhook deliveries only with 202/400/401/413/422 and queues nothing for them", async () => {
  const before = await queuedJobs();
  const seen = new Set<number>();
  let sender = 0;
  await fc.assert(
    fc.asyncProperty(webhookBodies(), webhookHeaders, async (body, headers) => {
      // Each from its own address, so every body reaches the parser rather than the per-source limit
      // (tested in webhook-abuse.test.ts).
      sender += 1;
      const from = { [PEER_ADDRESS_HEADER]: `10.${(sender >> 16) & 255}.${(sender >> 8) & 255}.${sender & 255}` };
      const response = await webhookPOST(
        new Request("http://localhost/api/v3/integrations/scanners/salt_security/webhook", { method: "POST", headers: { ...headers, ...from }, body }),
      );
      seen.add(response.status);
      expect([202, 400, 401, 413, 422]).toContain(response.status);
      expect(response.headers.get("content-type")).toContain("application/json");
    }),
    { numRuns: 10_000, seed: 2026 },
  );
  // None of them carried the right token, so nothing may have been queued.
  expect(await queuedJobs()).toBe(before);
  expect([...seen].sort()).toEqual(expect.arrayContaining([400, 401, 413, 422]));
}, 180_000);

type AnyProcedure = { _def: { type: "query" | "mutation" | "subscription" } };

it("answers generated input to every procedure with typed errors only, never an internal error", async () => {
  const admin = await callerFor(tenant.members.admin.email);
  const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>).filter(
    ([, p]) => p._def.type !== "subscription",
  );
  expect(procedures.length).toBeGreaterThan(20);
  const input = fc.oneof(
    fc.anything(),
    fc.record({ id: fc.oneof(fc.uuid(), fc.string()), integrationId: fc.uuid() }, { requiredKeys: [] }),
    fc.dictionary(fc.constantFrom("id", "q", "page", "sort", "dir", "status", "kind", "severities", "hosts"), fc.anything()),
  );
  for (const [path, procedure] of procedures) {
    const call = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], admin) as (i: unknown) => Promise<unknown>;
    await fc.assert(
      fc.asyncProperty(input, async (generated) => {
        try {
          await call(generated);
        } catch (error) {
          expect(error, `${path} (${procedure._def.type})`).toBeInstanceOf(TRPCError);
          expect((error as TRPCError).code, `${path}: ${(error as Error).message}`).not.toBe("INTERNAL_SERVER_ERROR");
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  }
}, 180_000);
