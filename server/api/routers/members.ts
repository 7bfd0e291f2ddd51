// Settings → Members (admins): members with role, granted permissions and last sign-in; invitations; changes.
// The invitation page's procedures (describe, accept) are public: the link's token is the credential.
import { z } from "zod";
import { roles } from "@/db/schema";
import { emailSchema, passwordSchema, personNameSchema } from "@/lib/people";
import { grantablePermissions, grantedPermissions } from "@/server/api/permissions";
import { createTRPCRouter, permissionProcedure, publicProcedure } from "@/server/api/trpc";
import { appOrigin } from "@/server/env";
import {
  acceptInvitation,
  changeMemberRole,
  describeInvitation,
  inviteMember,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
  setMemberPermissions,
} from "@/server/members";

const manage = permissionProcedure("members:manage");
const permissionList = z.array(z.enum(grantablePermissions)).max(grantablePermissions.length);
const tokenInput = z.object({ token: z.string().min(1).max(200) });

export const invitationLink = (token: string) => `${appOrigin()}/invite/${token}`;

export const membersRouter = createTRPCRouter({
  list: manage.query(async ({ ctx }) => {
    const [members, invitations] = await Promise.all([
      listMembers(ctx.db, { companyId: ctx.company.id }),
      listPendingInvitations(ctx.db, { companyId: ctx.company.id }),
    ]);
    return {
      members: members.map((m) => ({ ...m, permissions: grantedPermissions(m), isYou: m.userId === ctx.user.id })),
      invitations: invitations.map((i) => ({ ...i, permissions: grantedPermissions({ role: i.role, permissions: i.permissions }) })),
    };
  }),

  /** The link is returned once, here, for the admin to copy; only its hash is stored. */
  invite: manage
    .input(z.object({ email: emailSchema, role: z.enum(roles), permissions: permissionList.default([]) }))
    .mutation(async ({ ctx, input }) => {
      const { invitation, token } = await inviteMember(ctx.db, { companyId: ctx.company.id, actor: ctx.actor }, input);
      return { id: invitation.id, email: invitation.email, expiresAt: invitation.expiresAt, link: invitationLink(token) };
    }),

  revokeInvitation: manage
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, { companyId: ctx.company.id, actor: ctx.actor }, input)),

  changeRole: manage
    .input(z.object({ userId: z.string().min(1).max(100), role: z.enum(roles) }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, { companyId: ctx.company.id, actor: ctx.actor }, input)),

  setPermissions: manage
    .input(z.object({ userId: z.string().min(1).max(100), permissions: permissionList }))
    .mutation(({ ctx, input }) => setMemberPermissions(ctx.db, { companyId: ctx.company.id, actor: ctx.actor }, input)),

  remove: manage
    .input(z.object({ userId: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, { companyId: ctx.company.id, actor: ctx.actor }, input)),

  describeInvitation: publicProcedure.input(tokenInput).query(({ ctx, input }) => describeInvitation(ctx.db, input.token)),

  acceptInvitation: publicProcedure
    .input(tokenInput.extend({ name: personNameSchema.optional(), password: passwordSchema.optional() }))
    .mutation(({ ctx, input }) =>
      acceptInvitation(
        ctx.db,
        {
          token: input.token,
          newAccount: input.name && input.password ? { name: input.name, password: input.password } : undefined,
          signedIn: ctx.session ? { userId: ctx.session.user.id, email: ctx.session.user.email, sessionId: ctx.session.session.id } : undefined,
        },
        { ipAddress: ctx.ipAddress, userAgent: ctx.headers.get("user-agent") },
      ),
    ),
});
