// Seeds the demo company and its three people. Idempotent: an existing demo company is kept as it is.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { createCompany, createMemberWithPassword, findUserByEmail } from "@/db/queries/companies";
import { companies } from "@/db/schema";
import { DEMO_COMPANY_NAME, DEMO_PASSWORD, DEMO_USERS } from "./demo";

export async function seedDemo(db: Database): Promise<{ created: boolean }> {
  const [existing] = await db.select().from(companies).where(eq(companies.name, DEMO_COMPANY_NAME));
  const company = existing ?? (await createCompany(db, { name: DEMO_COMPANY_NAME }));
  let created = !existing;
  for (const person of DEMO_USERS) {
    if (await findUserByEmail(db, person.email)) continue;
    await createMemberWithPassword(db, { companyId: company.id, ...person, password: DEMO_PASSWORD });
    created = true;
  }
  return { created };
}
