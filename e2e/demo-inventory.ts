// The demo company's inventory on the PostgreSQL e2e database, seeded once however many specs ask at the same
// time (an advisory lock serialises the check and the seed across the two workers).
import { eq, sql } from "drizzle-orm";
import { type DatabaseHandle, openDatabase } from "../db/client";
import { assets, companies } from "../db/schema";
import { DEMO_COMPANY_NAME } from "../server/demo";
import { seedInventory } from "../test/seed-inventory";

export function openE2eDatabase(): DatabaseHandle {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it)");
  return openDatabase({ url }, { poolSize: 2 });
}

/** Seeds the demo company's FQDNs, APIs and issues unless they exist; returns the company id. */
export async function ensureDemoInventory(handle: DatabaseHandle): Promise<string> {
  return handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(48151623)`);
    const [company] = await tx.select().from(companies).where(eq(companies.name, DEMO_COMPANY_NAME));
    if (!company) throw new Error(`the e2e server did not seed "${DEMO_COMPANY_NAME}"`);
    const [existing] = await tx.select({ id: assets.id }).from(assets).where(eq(assets.companyId, company.id)).limit(1);
    if (!existing) await seedInventory(tx, { companyId: company.id, fqdns: 24, apisPerFqdn: 30, issuesPerApi: 2, seed: 42 });
    return company.id;
  });
}
