"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, Trash2, UserPlus } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { CopyButton } from "@/components/integrations/copy-button";
import { Notice } from "@/components/integrations/notice";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Label, Select } from "@/components/ui/input";
import { type Role, roles } from "@/db/schema/vocabulary";
import { formatDateTime } from "@/lib/format";
import { Time } from "@/components/ui/time";
import type { RouterOutputs } from "@/lib/trpc-types";
import { type GrantablePermission, grantablePermissionInfo, grantablePermissions, roleInfo } from "@/server/api/permissions";

type Member = RouterOutputs["members"]["list"]["members"][number];
type Invited = RouterOutputs["members"]["invite"];

export function MembersClient() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.members.list.queryOptions());
  const welcome = useSearchParams().get("welcome") === "1";
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const onError = (error: { message: string }) => setFailure(error.message);
  const onSuccess = () => {
    setFailure(null);
    return refresh();
  };
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess, onError }));
  const setPermissions = useMutation(trpc.members.setPermissions.mutationOptions({ onSuccess, onError }));
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSuccess, onError }));

  if (!list.data) return <p className="text-sm text-slate-600">Loading members…</p>;
  const { members, invitations } = list.data;

  return (
    <div className="space-y-8">
      {welcome && members.length === 1 ? (
        <Notice tone="success" title="Postura is set up.">
          Invite your team below: each invitation is a link you copy and send; it works once and expires after 7 days.
        </Notice>
      ) : null}
      {failure ? (
        <Notice tone="danger" title="That change was not made.">
          {failure}
        </Notice>
      ) : null}

      <section aria-labelledby="members-heading">
        <div className="mb-3 flex items-center justify-between gap-4">
          <h2 id="members-heading" className="text-base font-semibold">
            {members.length} member{members.length === 1 ? "" : "s"}
          </h2>
          <InviteDialog onInvited={refresh} />
        </div>
        <Card className="relative overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">Member</th>
                <th scope="col" className="px-4 py-2">Role</th>
                <th scope="col" className="px-4 py-2">Permissions</th>
                <th scope="col" className="px-4 py-2">Last sign-in</th>
                <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.map((member) => (
                <tr key={member.userId} data-testid="member-row">
                  <td className="px-4 py-3">
                    <div className="flex items-center gap-2 font-medium text-slate-900">
                      <bdi>{member.name}</bdi>
                      {member.isYou ? <Badge tone="brand">You</Badge> : null}
                    </div>
                    <div className="text-slate-600">{member.email}</div>
                  </td>
                  <td className="px-4 py-3">
                    <Select
                      aria-label={`Role of ${member.name}`}
                      className="w-32"
                      value={member.role}
                      disabled={changeRole.isPending}
                      onChange={(e) => changeRole.mutate({ userId: member.userId, role: e.target.value as Role })}
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {roleInfo[role].label}
                        </option>
                      ))}
                    </Select>
                  </td>
                  <td className="px-4 py-3">
                    <PermissionToggles
                      member={member}
                      disabled={setPermissions.isPending}
                      onChange={(permissions) => setPermissions.mutate({ userId: member.userId, permissions })}
                    />
                  </td>
                  <td className="px-4 py-3 text-slate-600">
                    <Time date={member.lastSignInAt} />
                  </td>
                  <td className="px-4 py-3 text-right">
                    <RemoveDialog member={member} onRemoved={refresh} onError={onError} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </section>

      <section aria-labelledby="invitations-heading">
        <h2 id="invitations-heading" className="mb-3 text-base font-semibold">
          Pending invitations
        </h2>
        {invitations.length === 0 ? (
          <p className="text-sm text-slate-600">No pending invitations.</p>
        ) : (
          <Card className="relative overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2">Email</th>
                  <th scope="col" className="px-4 py-2">Role</th>
                  <th scope="col" className="px-4 py-2">Invited by</th>
                  <th scope="col" className="px-4 py-2">Expires</th>
                  <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {invitations.map((invitation) => (
                  <tr key={invitation.id} data-testid="invitation-row">
                    <td className="px-4 py-3 font-medium text-slate-900">{invitation.email}</td>
                    <td className="px-4 py-3">
                      {roleInfo[invitation.role].label}
                      {invitation.permissions.map((p) => (
                        <Badge key={p} className="ml-2">
                          {grantablePermissionInfo[p].label}
                        </Badge>
                      ))}
                    </td>
                    <td className="px-4 py-3 text-slate-600">
                      <bdi>{invitation.invitedBy ?? "—"}</bdi>
                    </td>
                    <td className="px-4 py-3">
                      {invitation.expired ? <Badge tone="warning">Expired</Badge> : <Time date={invitation.expiresAt} format="date" className="text-slate-600" />}
                    </td>
                    <td className="px-4 py-3 text-right">
                      <Button variant="secondary" size="sm" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: invitation.id })}>
                        Revoke<span className="sr-only"> the invitation of {invitation.email}</span>
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </section>
    </div>
  );
}

function PermissionToggles({ member, disabled, onChange }: { member: Member; disabled: boolean; onChange: (p: GrantablePermission[]) => void }) {
  return (
    <ul className="space-y-1">
      {grantablePermissions.map((permission) => {
        const id = `perm-${member.userId}-${permission}`;
        const granted = member.permissions.includes(permission);
        // Admins hold every permission through their role; the box shows that and cannot take it away.
        const isAdmin = member.role === "admin";
        return (
          <li key={permission} className="flex items-center gap-2">
            <input
              id={id}
              type="checkbox"
              className="size-4 accent-brand-600"
              checked={granted || isAdmin}
              disabled={disabled || isAdmin}
              aria-describedby={isAdmin ? `${id}-note` : undefined}
              onChange={() => onChange(granted ? member.permissions.filter((p) => p !== permission) : [...member.permissions, permission])}
            />
            <label htmlFor={id} className="text-slate-800">
              {grantablePermissionInfo[permission].label}
              <span className="sr-only"> for {member.name}</span>
            </label>
            {isAdmin ? (
              <span id={`${id}-note`} className="text-xs text-slate-500">
                (through the admin role)
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function InviteDialog({ onInvited }: { onInvited: () => unknown }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [invited, setInvited] = useState<Invited | null>(null);
  const invite = useMutation(trpc.members.invite.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFailure(null);
    try {
      const result = await invite.mutateAsync({
        email: String(form.get("invite-email") ?? ""),
        role: String(form.get("invite-role")) as Role,
        permissions: grantablePermissions.filter((p) => form.get(`invite-${p}`) === "on"),
      });
      setInvited(result);
      await onInvited();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : "The invitation was not created. Try again.");
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setInvited(null);
          setFailure(null);
        }
      }}
    >
      <Button onClick={() => setOpen(true)}>
        <UserPlus aria-hidden /> Invite member
      </Button>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{invited ? "Invitation link" : "Invite a member"}</DialogTitle>
          <DialogDescription>
            {invited
              ? `Send this link to ${invited.email}. It works once and expires on ${formatDateTime(invited.expiresAt)}; it is not shown again.`
              : "Postura makes a single-use link for you to send; the person sets their own password when they open it."}
          </DialogDescription>
        </DialogHeader>
        {invited ? (
          <>
            <div className="flex items-center gap-2 px-5 py-4">
              <input
                aria-label="Invitation link"
                readOnly
                value={invited.link}
                onFocus={(e) => e.currentTarget.select()}
                className="h-9 min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 font-mono text-xs"
                data-testid="invitation-link"
              />
              <CopyButton value={invited.link} label="Copy invitation link" />
            </div>
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="secondary">Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={onSubmit} noValidate>
            <div className="space-y-4 px-5 py-4">
              <Field id="invite-email" label="Email" type="email" autoComplete="off" required autoFocus />
              <div className="space-y-1.5">
                <Label htmlFor="invite-role">Role</Label>
                <Select id="invite-role" name="invite-role" defaultValue="analyst">
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {roleInfo[role].label} — {roleInfo[role].description}
                    </option>
                  ))}
                </Select>
              </div>
              <fieldset className="space-y-1.5">
                <legend className="text-sm font-medium text-slate-800">Permissions</legend>
                {grantablePermissions.map((permission) => (
                  <div key={permission} className="flex items-start gap-2">
                    <input id={`invite-${permission}`} name={`invite-${permission}`} type="checkbox" className="mt-0.5 size-4 accent-brand-600" />
                    <label htmlFor={`invite-${permission}`} className="text-sm">
                      <span className="font-medium">{grantablePermissionInfo[permission].label}</span>
                      <span className="block text-xs text-slate-500">{grantablePermissionInfo[permission].description}</span>
                    </label>
                  </div>
                ))}
              </fieldset>
              <p role="alert" className="min-h-5 text-sm text-red-700">
                {failure}
              </p>
            </div>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" disabled={invite.isPending}>
                {invite.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                Create invitation link
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function RemoveDialog({ member, onRemoved, onError }: { member: Member; onRemoved: () => unknown; onError: (e: { message: string }) => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        await onRemoved();
      },
      onError: (error) => {
        setOpen(false);
        onError(error);
      },
    }),
  );
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden /> Remove<span className="sr-only"> {member.name}</span>
      </Button>
      <DialogContent className="w-[min(92vw,28rem)]">
        <DialogHeader>
          <DialogTitle>Remove {member.name}?</DialogTitle>
          <DialogDescription>
            {member.email} loses access to this company at once and is signed out everywhere. Their past changes stay in the history.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ userId: member.userId })}>
            Remove member
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
