// First run: a fresh install has no user, and the setup screen (or `npm run admin -- create-company`) creates the
// company and its first admin. Once any user exists, setup is closed for good — checked here, on the server,
// inside the transaction that would create the admin, under a lock so two racing requests cannot both succeed.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { addMembership, createCompany, createUserWithPassword, hasAnyUser } from "@/db/queries/companies";
import { type AuditActor, recordAudit } from "@/server/audit";

export class SetupClosedError extends Error {
  constructor() {
    super("Postura is already set up. Sign in, or ask an admin of your company to invite you.");
    this.name = "SetupClosedError";
  }
}

const SETUP_LOCK = 727_201;

export async function setUpFirstCompany(
  db: Database,
  input: { companyName: string; name: string; email: string; password: string },
  actor: Omit<AuditActor, "userId" | "name" | "email">,
) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
    if (await hasAnyUser(tx)) throw new SetupClosedError();
    const company = await createCompany(tx, { name: input.companyName });
    const { userId } = await createUserWithPassword(tx, input);
    await addMembership(tx, { userId, companyId: company.id, role: "admin" });
    await recordAudit(tx, {
      companyId: company.id,
      actor: { ...actor, userId, name: input.name, email: input.email },
      action: "company.created",
      target: { type: "company", id: company.id, label: company.name },
      details: { firstAdmin: input.email, via: "setup screen" },
    });
    return { companyId: company.id, userId };
  });
}
