"use client";
// The issue's owner: a member of the company. Analysts and admins pick one and press Assign; viewers read it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";

export const NOBODY = "";

export function memberLabel(member: { name: string; email: string }) {
  return `${member.name} (${member.email})`;
}

export function IssueOwner({ issueId, owner, canAssign }: { issueId: string; owner: { id: string | null; name: string | null; email: string | null } | null; canAssign: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const ownerId = owner?.id ?? NOBODY;
  const [choice, setChoice] = useState<string | null>(null);
  const assignees = useQuery({ ...trpc.issues.assignees.queryOptions(), enabled: canAssign });
  const mutation = useMutation(
    trpc.issues.setOwner.mutationOptions({
      onSuccess: async () => {
        setChoice(null);
        await queryClient.invalidateQueries({ queryKey: trpc.issues.pathKey() });
      },
    }),
  );
  const current = owner?.id && owner.name && owner.email ? memberLabel({ name: owner.name, email: owner.email }) : "Nobody";
  if (!canAssign) {
    return (
      <div>
        <p className="mb-1 text-sm font-medium text-slate-800">Owner</p>
        <p className="text-sm text-slate-700" data-testid="issue-owner">
          {current}
        </p>
      </div>
    );
  }
  const value = choice ?? ownerId;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate({ id: issueId, ownerUserId: value === NOBODY ? null : value });
      }}
    >
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        Owner
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <Select id={id} className="w-64 max-w-full" value={value} onChange={(e) => setChoice(e.target.value)} disabled={!assignees.data}>
          <option value={NOBODY}>Nobody</option>
          {(assignees.data ?? (owner?.id && owner.name && owner.email ? [{ userId: owner.id, name: owner.name, email: owner.email }] : [])).map((m) => (
            <option key={m.userId} value={m.userId}>
              {memberLabel(m)}
            </option>
          ))}
        </Select>
        <Button type="submit" variant="secondary" size="sm" disabled={value === ownerId || mutation.isPending}>
          {mutation.isPending ? "Assigning…" : "Assign"}
        </Button>
        <span role="status" className="text-sm text-slate-600" data-testid="issue-owner">
          {mutation.isError ? <span className="text-red-700">{mutation.error.message}</span> : mutation.isSuccess ? `Owner: ${current}` : null}
        </span>
      </div>
    </form>
  );
}
