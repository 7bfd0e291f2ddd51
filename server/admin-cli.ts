// `npm run admin -- <command>`: scripted installs and recovery, on the database the server would use.
//   create-company --name <name> [--admin-email <email> --admin-name <name>]   a company (and its first admin)
//   create-user --company <id or name> --email <email> --name <name> --role <admin|analyst|viewer>
//   reset-password --email <email>                                           a new password; sessions end
// Passwords are never taken from the command line (shell history, `ps`): they come from POSTURA_PASSWORD or are
// generated and printed once.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { addMembership, createCompany, createUserWithPassword, findUserByEmail, setUserPassword } from "@/db/queries/companies";
import { companies, memberships, roles } from "@/db/schema";
import { companyNameSchema, emailSchema, passwordSchema, personNameSchema } from "@/lib/people";
import { cliActor, recordAudit } from "@/server/audit";

export const adminUsage = `Usage: npm run admin -- <command> [options]

  create-company --name <company> [--admin-email <email> --admin-name <name>]
      Creates a company; with --admin-email, also its first admin.
  create-user --company <company id or exact name> --email <email> --name <name> --role <admin|analyst|viewer>
      Creates an account in the company (or adds an existing account to it).
  reset-password --email <email>
      Sets a new password and ends the account's sessions.

The password is read from POSTURA_PASSWORD; without it a random one is generated and printed once.`;

export class AdminCommandError extends Error {}

type AdminEnv = { POSTURA_PASSWORD?: string; [name: string]: string | undefined };

function check<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminCommandError(`--${option}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

function passwordFrom(env: AdminEnv): { password: string; generated: boolean } {
  if (env.POSTURA_PASSWORD) return { password: check(passwordSchema, env.POSTURA_PASSWORD, "password (POSTURA_PASSWORD)"), generated: false };
  return { password: randomBytes(15).toString("base64url"), generated: true };
}

async function findCompany(db: Database, ref: string) {
  const byId = z.uuid().safeParse(ref).success ? await db.select().from(companies).where(eq(companies.id, ref)) : [];
  if (byId[0]) return byId[0];
  const byName = await db.select().from(companies).where(eq(companies.name, ref));
  if (byName.length > 1) throw new AdminCommandError(`Several companies are named "${ref}"; pass the company id instead.`);
  if (!byName[0]) throw new AdminCommandError(`No company "${ref}". List them with: select id, name from companies;`);
  return byName[0];
}

/** Runs one command; returns the lines to print. Throws AdminCommandError with a message for the operator. */
export async function runAdminCommand(db: Database, argv: string[], env: AdminEnv = process.env): Promise<string[]> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: "string" },
      email: { type: "string" },
      role: { type: "string" },
      company: { type: "string" },
      "admin-email": { type: "string" },
      "admin-name": { type: "string" },
    },
    strict: true,
  });
  const out: string[] = [];
  const say = (password: { password: string; generated: boolean }) => {
    if (password.generated) out.push(`Generated password (shown once): ${password.password}`);
  };

  switch (command) {
    case "create-company": {
      const name = check(companyNameSchema, values.name, "name");
      const adminEmail = values["admin-email"] ? check(emailSchema, values["admin-email"], "admin-email") : null;
      const adminName = adminEmail ? check(personNameSchema, values["admin-name"], "admin-name") : null;
      const password = adminEmail ? passwordFrom(env) : null;
      const company = await db.transaction(async (tx) => {
        const created = await createCompany(tx, { name });
        await recordAudit(tx, { companyId: created.id, actor: cliActor, action: "company.created", target: { type: "company", id: created.id, label: name } });
        if (adminEmail && adminName && password) {
          if (await findUserByEmail(tx, adminEmail)) throw new AdminCommandError(`${adminEmail} already has an account; add it with create-user.`);
          const { userId } = await createUserWithPassword(tx, { email: adminEmail, name: adminName, password: password.password });
          await addMembership(tx, { userId, companyId: created.id, role: "admin" });
          await recordAudit(tx, {
            companyId: created.id,
            actor: cliActor,
            action: "member.created",
            target: { type: "user", id: userId, label: `${adminName} <${adminEmail}>` },
            details: { role: "admin" },
          });
        }
        return created;
      });
      out.push(`Created company "${company.name}" (id ${company.id}).`);
      if (adminEmail && password) {
        out.push(`Created admin ${adminEmail}.`);
        say(password);
      }
      return out;
    }
    case "create-user": {
      if (!values.company) throw new AdminCommandError("--company is required (the company id or its exact name).");
      const email = check(emailSchema, values.email, "email");
      const role = check(z.enum(roles, { message: "must be admin, analyst or viewer" }), values.role, "role");
      const company = await findCompany(db, values.company);
      const existing = await findUserByEmail(db, email);
      const name = existing ? existing.name : check(personNameSchema, values.name, "name");
      const password = existing ? null : passwordFrom(env);
      await db.transaction(async (tx) => {
        const userId = existing ? existing.id : (await createUserWithPassword(tx, { email, name, password: password!.password })).userId;
        const already = await tx
          .select({ id: memberships.id })
          .from(memberships)
          .where(sql`${memberships.userId} = ${userId} and ${memberships.companyId} = ${company.id}`);
        if (already.length > 0) throw new AdminCommandError(`${email} is already a member of "${company.name}".`);
        await addMembership(tx, { userId, companyId: company.id, role });
        await recordAudit(tx, { companyId: company.id, actor: cliActor, action: "member.created", target: { type: "user", id: userId, label: `${name} <${email}>` }, details: { role } });
      });
      out.push(existing ? `Added ${email} to "${company.name}" as ${role}.` : `Created ${email} in "${company.name}" as ${role}.`);
      if (password) say(password);
      return out;
    }
    case "reset-password": {
      const email = check(emailSchema, values.email, "email");
      const account = await findUserByEmail(db, email);
      if (!account) throw new AdminCommandError(`No account with the email ${email}.`);
      const password = passwordFrom(env);
      await db.transaction(async (tx) => {
        await setUserPassword(tx, { userId: account.id, password: password.password });
        const companyIds = await tx.select({ companyId: memberships.companyId }).from(memberships).where(eq(memberships.userId, account.id));
        for (const { companyId } of companyIds) {
          await recordAudit(tx, { companyId, actor: cliActor, action: "member.password_reset", target: { type: "user", id: account.id, label: `${account.name} <${email}>` } });
        }
      });
      out.push(`New password set for ${email}; their sessions have ended.`);
      say(password);
      return out;
    }
    default:
      throw new AdminCommandError(command ? `Unknown command "${command}".\n\n${adminUsage}` : adminUsage);
  }
}
