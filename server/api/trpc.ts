/**
 * tRPC set-up, in three parts:
 * 1. Context: the database, the request headers and the signed-in session (if any).
 * 2. Initialisation: superjson; invalid input answered 400 with the field named (and zod's errors flattened so
 *    forms can show them next to their fields); unexpected errors answered with a classified sentence and an
 *    error id, their text (SQL, parameters) only in the log.
 * 3. The procedure ladder: public → signed in → company-scoped → permission. Each rung narrows `ctx`;
 *    nothing below it uses `!`. Every query a company-scoped procedure makes carries `ctx.company.id`.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Database } from "@/db/client";
import { getMembershipForUser } from "@/db/queries/companies";
import type { AuditActor } from "@/server/audit";
import { getAuth, trustedOrigins } from "@/server/auth";
import { databaseReady, getDb } from "@/server/db";
import { clientIpFromHeaders } from "@/server/security/client-ip";
import { publicInternalError } from "./errors";
import { can, grantedPermissions, type Permission, refusalMessages } from "./permissions";

// 1. Context -------------------------------------------------------------------------------------------

export async function createTRPCContext(opts: { headers: Headers }) {
  await databaseReady();
  const db: Database = getDb();
  const session = await getAuth().api.getSession({ headers: opts.headers });
  return { db, headers: opts.headers, session, ipAddress: clientIpFromHeaders(opts.headers) };
}
export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

// 2. Initialisation ------------------------------------------------------------------------------------

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, path }) {
    // No stack traces to clients, in any mode.
    const { stack: _stack, ...data } = shape.data;
    if (error.cause instanceof ZodError) {
      const issue = error.cause.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.join(".") : "input";
      return {
        ...shape,
        message: `Invalid input — ${field}: ${issue?.message ?? "invalid"}`,
        data: { ...data, field, zodError: z.flattenError(error.cause) },
      };
    }
    if (error.code === "INTERNAL_SERVER_ERROR") {
      const { message, errorId } = publicInternalError(error.cause ?? error, { path });
      return { ...shape, message, data: { ...data, errorId, zodError: null } };
    }
    return { ...shape, data: { ...data, zodError: null } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures ----------------------------------------------------------------------------------------

/**
 * Browsers send Origin on every state-changing request; one that is present and not ours is a cross-site
 * request and is refused. Callers without Origin (server-side callers, CLI tools) are not browsers and carry
 * no ambient cookies from another site, so they pass.
 */
const sameOriginMutations = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation") {
    const origin = ctx.headers.get("origin");
    const fetchSite = ctx.headers.get("sec-fetch-site");
    if ((origin && !trustedOrigins().includes(origin)) || fetchSite === "cross-site") {
      throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused." });
    }
  }
  return next();
});

export const publicProcedure = t.procedure.use(sameOriginMutations);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, session: ctx.session, user: ctx.session.user } });
});

export const companyProcedure = authedProcedure.use(async ({ ctx, next }) => {
  // Read on every request, so a role change, a grant or a removal takes effect on the member's next request.
  const membership = await getMembershipForUser(ctx.db, ctx.user.id, ctx.session.session.activeCompanyId);
  if (!membership) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Your account is not a member of any company. Ask an admin to add you." });
  }
  const actor: AuditActor = {
    userId: ctx.user.id,
    name: ctx.user.name,
    email: ctx.user.email,
    ipAddress: ctx.ipAddress,
    userAgent: ctx.headers.get("user-agent"),
  };
  return next({
    ctx: {
      ...ctx,
      role: membership.role,
      member: { role: membership.role, permissions: grantedPermissions(membership) },
      company: { id: membership.companyId, name: membership.companyName, publicId: membership.companyPublicId },
      actor,
    },
  });
});

export function permissionProcedure(permission: Permission) {
  return companyProcedure.use(({ ctx, next }) => {
    if (!can(ctx.member, permission)) throw new TRPCError({ code: "FORBIDDEN", message: refusalMessages[permission] });
    return next();
  });
}
