// Members of a company: invitations (single-use, expiring links), roles, granted permissions and removal.
// Every change writes its audit row in the same transaction. The last admin of a company can be neither demoted
// nor removed; the admins' rows are locked while that is checked, so two concurrent demotions cannot both pass.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import type { Database, Queryable } from "@/db/client";
import { addMembership, createUserWithPassword, findUserByEmail, setSessionCompany } from "@/db/queries/companies";
import { companies, invitations, issues, memberships, type Role, session, user } from "@/db/schema";
import { type GrantablePermission, grantedPermissions } from "@/server/api/permissions";
import { type AuditActor, recordAudit } from "@/server/audit";

export const INVITATION_DAYS = 7;

type CompanyScope = { companyId: string; actor: AuditActor };

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const invitationTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function listMembers(db: Queryable, { companyId }: { companyId: string }) {
  return db
    .select({
      userId: user.id,
      name: user.name,
      email: user.email,
      role: memberships.role,
      permissions: memberships.permissions,
      lastSignInAt: user.lastSignInAt,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(eq(memberships.companyId, companyId))
    .orderBy(sql`lower(${user.name})`, user.email);
}

/** Invitations neither accepted nor revoked, newest first; expired ones are shown as such until revoked. */
export async function listPendingInvitations(db: Queryable, { companyId }: { companyId: string }, now = new Date()) {
  const rows = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      permissions: invitations.permissions,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      invitedBy: user.name,
    })
    .from(invitations)
    .leftJoin(user, eq(user.id, invitations.invitedBy))
    .where(and(eq(invitations.companyId, companyId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt));
  return rows.map((row) => ({ ...row, expired: row.expiresAt <= now }));
}

const label = (u: { name: string; email: string }) => `${u.name} <${u.email}>`;

export async function inviteMember(
  db: Database,
  scope: CompanyScope,
  input: { email: string; role: Role; permissions: GrantablePermission[] },
) {
  return db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, input.email);
    if (existing) {
      const [member] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.companyId, scope.companyId), eq(memberships.userId, existing.id)));
      if (member) throw new TRPCError({ code: "CONFLICT", message: `${input.email} is already a member of this company.` });
    }
    const now = new Date();
    // One live link per address: a new invitation replaces an older one.
    await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.companyId, scope.companyId), eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
    const token = randomBytes(32).toString("base64url");
    const [row] = await tx
      .insert(invitations)
      .values({
        companyId: scope.companyId,
        email: input.email,
        role: input.role,
        permissions: input.permissions,
        tokenHash: hashInvitationToken(token),
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000),
        invitedBy: scope.actor.userId,
      })
      .returning();
    if (!row) throw new Error("invitation insert returned nothing");
    await recordAudit(tx, {
      companyId: scope.companyId,
      actor: scope.actor,
      action: "member.invited",
      target: { type: "invitation", id: row.id, label: input.email },
      details: { role: input.role, permissions: input.permissions },
    });
    return { invitation: row, token };
  });
}

export async function revokeInvitation(db: Database, scope: CompanyScope, { id }: { id: string }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, id), eq(invitations.companyId, scope.companyId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning();
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "No open invitation with that id in this company." });
    await recordAudit(tx, {
      companyId: scope.companyId,
      actor: scope.actor,
      action: "invitation.revoked",
      target: { type: "invitation", id: row.id, label: row.email },
    });
    return { id: row.id };
  });
}

type InvitationState = "valid" | "expired" | "used" | "revoked";

async function findInvitation(db: Queryable, token: string, { forUpdate = false } = {}) {
  if (!invitationTokenPattern.test(token)) return null;
  const hash = hashInvitationToken(token);
  const query = db
    .select({ invitation: invitations, companyName: companies.name })
    .from(invitations)
    .innerJoin(companies, eq(companies.id, invitations.companyId))
    .where(eq(invitations.tokenHash, hash));
  const [row] = forUpdate ? await query.for("update", { of: invitations }) : await query;
  // The lookup is by hash; compare once more in constant time so the answer never depends on a partial match.
  if (!row || !timingSafeEqual(Buffer.from(row.invitation.tokenHash), Buffer.from(hash))) return null;
  return row;
}

function stateOf(invitation: typeof invitations.$inferSelect, now: Date): InvitationState {
  if (invitation.revokedAt) return "revoked";
  if (invitation.acceptedAt) return "used";
  if (invitation.expiresAt <= now) return "expired";
  return "valid";
}

const stateMessages: Record<Exclude<InvitationState, "valid">, string> = {
  expired: "This invitation has expired. Ask an admin of the company for a new one.",
  used: "This invitation has already been used. Sign in, or ask an admin for a new one.",
  revoked: "This invitation was withdrawn. Ask an admin of the company for a new one.",
};

/** What the invitation page shows: whose company, for which address, and whether the link still works. */
export async function describeInvitation(db: Queryable, token: string, now = new Date()) {
  const row = await findInvitation(db, token);
  if (!row) return null;
  const state = stateOf(row.invitation, now);
  const account = await findUserByEmail(db, row.invitation.email);
  return {
    companyName: row.companyName,
    email: row.invitation.email,
    role: row.invitation.role,
    state,
    message: state === "valid" ? null : stateMessages[state],
    accountExists: account !== null,
  };
}

/**
 * Accepts an invitation. A new person sets their name and password; someone who already has a Postura account
 * (a member of another company) accepts while signed in as that address, and the company is added to theirs.
 */
export async function acceptInvitation(
  db: Database,
  input: { token: string; newAccount?: { name: string; password: string }; signedIn?: { userId: string; email: string; sessionId: string } },
  actor: Omit<AuditActor, "userId" | "name" | "email">,
) {
  return db.transaction(async (tx) => {
    const row = await findInvitation(tx, input.token, { forUpdate: true });
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "This invitation link is not valid. Check that you copied all of it." });
    const { invitation } = row;
    const state = stateOf(invitation, new Date());
    if (state !== "valid") throw new TRPCError({ code: "PRECONDITION_FAILED", message: stateMessages[state] });

    const existing = await findUserByEmail(tx, invitation.email);
    let userId: string;
    let name: string;
    if (existing) {
      if (!input.signedIn || input.signedIn.userId !== existing.id) {
        throw new TRPCError({
          code: "UNAUTHORIZED",
          message: `${invitation.email} already has a Postura account. Sign in as ${invitation.email}, then open this link again.`,
        });
      }
      userId = existing.id;
      name = existing.name;
      await tx.insert(memberships).values({ userId, companyId: invitation.companyId, role: invitation.role, permissions: invitation.permissions }).onConflictDoNothing();
      await setSessionCompany(tx, { sessionId: input.signedIn.sessionId, companyId: invitation.companyId });
    } else {
      if (!input.newAccount) throw new TRPCError({ code: "BAD_REQUEST", message: "Choose your name and a password to accept." });
      ({ userId } = await createUserWithPassword(tx, { email: invitation.email, ...input.newAccount }));
      name = input.newAccount.name;
      await addMembership(tx, { userId, companyId: invitation.companyId, role: invitation.role, permissions: invitation.permissions });
    }
    await tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy: userId }).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, {
      companyId: invitation.companyId,
      actor: { ...actor, userId, name, email: invitation.email },
      action: "invitation.accepted",
      target: { type: "user", id: userId, label: label({ name, email: invitation.email }) },
      details: { role: invitation.role, permissions: invitation.permissions },
    });
    return { companyId: invitation.companyId, email: invitation.email };
  });
}

/** The member's row in this company, locked for the change; NOT_FOUND for anyone else's member. */
async function lockMember(tx: Queryable, companyId: string, userId: string) {
  const [row] = await tx
    .select({ membershipId: memberships.id, role: memberships.role, permissions: memberships.permissions, name: user.name, email: user.email })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(and(eq(memberships.companyId, companyId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "That person is not a member of this company." });
  return row;
}

/** Refuses a change that would leave the company without an admin. */
async function assertAnotherAdmin(tx: Queryable, companyId: string, userId: string, doing: string) {
  const others = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.companyId, companyId), eq(memberships.role, "admin"), ne(memberships.userId, userId)))
    .for("update");
  if (others.length === 0) {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: `You cannot ${doing} the last admin. Make someone else an admin first.` });
  }
}

export async function changeMemberRole(db: Database, scope: CompanyScope, input: { userId: string; role: Role }) {
  return db.transaction(async (tx) => {
    const member = await lockMember(tx, scope.companyId, input.userId);
    if (member.role === input.role) return { changed: false };
    if (member.role === "admin") await assertAnotherAdmin(tx, scope.companyId, input.userId, "demote");
    await tx.update(memberships).set({ role: input.role }).where(eq(memberships.id, member.membershipId));
    await recordAudit(tx, {
      companyId: scope.companyId,
      actor: scope.actor,
      action: "member.role_changed",
      target: { type: "user", id: input.userId, label: label(member) },
      details: { from: member.role, to: input.role },
    });
    return { changed: true };
  });
}

export async function setMemberPermissions(db: Database, scope: CompanyScope, input: { userId: string; permissions: GrantablePermission[] }) {
  return db.transaction(async (tx) => {
    const member = await lockMember(tx, scope.companyId, input.userId);
    const before = grantedPermissions(member);
    const after = [...new Set(input.permissions)].sort();
    const granted = after.filter((p) => !before.includes(p));
    const revoked = before.filter((p) => !after.includes(p));
    if (granted.length === 0 && revoked.length === 0) return { changed: false };
    await tx.update(memberships).set({ permissions: after }).where(eq(memberships.id, member.membershipId));
    await recordAudit(tx, {
      companyId: scope.companyId,
      actor: scope.actor,
      action: "member.permissions_changed",
      target: { type: "user", id: input.userId, label: label(member) },
      details: { granted, revoked },
    });
    return { changed: true };
  });
}

/** Removes a member from this company; their sessions end at once (they sign in again for any other company). */
export async function removeMember(db: Database, scope: CompanyScope, input: { userId: string }) {
  return db.transaction(async (tx) => {
    const member = await lockMember(tx, scope.companyId, input.userId);
    if (member.role === "admin") await assertAnotherAdmin(tx, scope.companyId, input.userId, "remove");
    await tx.delete(memberships).where(eq(memberships.id, member.membershipId));
    await tx.delete(session).where(eq(session.userId, input.userId));
    // Issues they owned here are nobody's now: an owner is always a member of the company.
    await tx
      .update(issues)
      .set({ ownerUserId: null, updatedAt: new Date() })
      .where(and(eq(issues.companyId, scope.companyId), eq(issues.ownerUserId, input.userId)));
    await recordAudit(tx, {
      companyId: scope.companyId,
      actor: scope.actor,
      action: "member.removed",
      target: { type: "user", id: input.userId, label: label(member) },
      details: { role: member.role },
    });
    return { removed: true };
  });
}
