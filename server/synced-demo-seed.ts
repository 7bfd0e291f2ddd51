// A second company already connected to Salt Security (the simulator) with two domains associated, for
// end-to-end journeys that need synced data: Globex. The server's worker runs the first syncs it queues.
import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Database } from "@/db/client";
import { createCompany, createMemberWithPassword } from "@/db/queries/companies";
import { companies, defaultIntegrationSettings, integrations } from "@/db/schema";
import { encryptSecret, hashToken, newToken } from "@/server/security/secrets";
import { associateDomains } from "@/server/sync";
import { DEMO_PASSWORD, SYNCED_COMPANY_NAME, SYNCED_USERS } from "./demo";

export async function seedSyncedCompany(
  db: Database,
  { apiKey, hosts, boss }: { apiKey: string; hosts: string[]; boss: PgBoss },
): Promise<void> {
  const [existing] = await db.select().from(companies).where(eq(companies.name, SYNCED_COMPANY_NAME));
  if (existing) return;
  const company = await createCompany(db, { name: SYNCED_COMPANY_NAME });
  for (const person of SYNCED_USERS) {
    await createMemberWithPassword(db, { companyId: company.id, ...person, password: DEMO_PASSWORD });
  }
  const token = newToken("whk");
  const [integration] = await db
    .insert(integrations)
    .values({
      companyId: company.id,
      kind: "salt_security",
      state: "connected",
      wizardStep: "done",
      region: "us",
      credentialsEncrypted: encryptSecret(JSON.stringify({ apiKey })),
      canWriteBack: true,
      settings: defaultIntegrationSettings,
      webhookTokenHash: hashToken(token),
      webhookTokenEncrypted: encryptSecret(token),
    })
    .returning();
  await associateDomains(db, { companyId: company.id, integrationId: integration!.id, hosts }, { boss });
}
