"use client";
// Bulk changes on the Issues list: the ticked rows, or every issue matching the filter (its exact count shown
// before Apply), get one status (with the same reason and end date rules), owner or business impact. The server
// does it set-based in one transaction (server/issues/bulk.ts); the bar shows progress and then what changed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Select } from "@/components/ui/input";
import { type BusinessImpact, businessImpacts, issueStatusLabels } from "@/db/schema/vocabulary";
import type { RouterInputs } from "@/lib/trpc-types";
import { memberLabel, NOBODY } from "./issue-owner";
import { emptyDraft, parseDraft, StatusChangeFields } from "./status-change-fields";

type Filter = Extract<RouterInputs["issues"]["bulkUpdate"]["selection"], { filter: unknown }>["filter"];
type Kind = "status" | "owner" | "businessImpact";
const kindTitles: Record<Kind, string> = { status: "Change status", owner: "Set owner", businessImpact: "Set business impact" };
const impactLabels: Record<BusinessImpact, string> = { low: "Low", medium: "Medium", high: "High" };
const count = (n: number) => n.toLocaleString("en-US");

export function BulkIssueActions({
  selectedIds,
  allOnPageSelected,
  pageSize,
  filter,
  allMatching,
  onSelectAllMatching,
  onClear,
  may,
}: {
  selectedIds: string[];
  allOnPageSelected: boolean;
  pageSize: number;
  filter: Filter;
  allMatching: boolean;
  onSelectAllMatching: () => void;
  onClear: () => void;
  may: Record<Kind, boolean>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [kind, setKind] = useState<Kind | null>(null);
  const [draft, setDraft] = useState(emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [owner, setOwner] = useState(NOBODY);
  const [impact, setImpact] = useState<BusinessImpact>("high");
  const [summary, setSummary] = useState<string | null>(null);
  const matching = useQuery({ ...trpc.issues.matchingCount.queryOptions(filter), enabled: allOnPageSelected || allMatching });
  const assignees = useQuery({ ...trpc.issues.assignees.queryOptions(), enabled: kind === "owner" });
  const selectedCount = allMatching ? (matching.data ?? 0) : selectedIds.length;
  const mutation = useMutation(
    trpc.issues.bulkUpdate.mutationOptions({
      onSuccess: async (result) => {
        setKind(null);
        const queued = "writeBacks" in result && result.writeBacks ? `; ${count(result.writeBacks.pending)} write-backs queued` : "";
        setSummary(
          "domains" in result && result.domains !== undefined
            ? `Business impact set on ${count(result.changed)} domain${result.changed === 1 ? "" : "s"}.`
            : `Changed ${count(result.changed)} issue${result.changed === 1 ? "" : "s"}${queued}.`,
        );
        onClear();
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.issues.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.assets.pathKey() })]);
      },
    }),
  );
  const open = (next: Kind) => {
    setDraft(emptyDraft());
    setErrors({});
    setSummary(null);
    mutation.reset();
    setKind(next);
  };
  const submit = () => {
    const selection = allMatching ? { filter } : { ids: selectedIds };
    if (kind === "status") {
      const parsed = parseDraft(draft);
      if (!parsed.ok) return setErrors(parsed.errors);
      setErrors({});
      mutation.mutate({ selection, change: { kind: "status", ...parsed.value } });
    } else if (kind === "owner") {
      mutation.mutate({ selection, change: { kind: "owner", ownerUserId: owner === NOBODY ? null : owner } });
    } else if (kind === "businessImpact") {
      mutation.mutate({ selection, change: { kind: "businessImpact", businessImpact: impact } });
    }
  };

  if (selectedIds.length === 0 && !allMatching) {
    return summary || mutation.isPending ? (
      <p role="status" className="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
        {summary}
      </p>
    ) : null;
  }
  return (
    <div role="region" aria-label="Bulk actions" className="mb-3 flex flex-wrap items-center gap-2 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm">
      <span role="status" className="font-medium text-slate-900" data-testid="bulk-selected">
        {allMatching ? (matching.data === undefined ? "Counting…" : `All ${count(selectedCount)} matching issues selected`) : `${count(selectedCount)} selected`}
      </span>
      {allOnPageSelected && !allMatching && matching.data !== undefined && matching.data > pageSize ? (
        <Button variant="link" size="sm" onClick={onSelectAllMatching}>
          Select all {count(matching.data)} matching issues
        </Button>
      ) : null}
      <span className="ml-auto flex flex-wrap gap-2">
        {may.status ? (
          <Button size="sm" variant="secondary" onClick={() => open("status")}>
            Change status…
          </Button>
        ) : null}
        {may.owner ? (
          <Button size="sm" variant="secondary" onClick={() => open("owner")}>
            Set owner…
          </Button>
        ) : null}
        {may.businessImpact ? (
          <Button size="sm" variant="secondary" onClick={() => open("businessImpact")}>
            Set business impact…
          </Button>
        ) : null}
        <Button size="sm" variant="ghost" onClick={onClear}>
          Clear selection
        </Button>
      </span>
      <Dialog open={kind !== null} onOpenChange={(next) => (next ? null : mutation.isPending ? null : setKind(null))}>
        <DialogContent>
          <form
            className="flex min-h-0 flex-col"
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <DialogHeader>
              <DialogTitle>{kind ? kindTitles[kind] : ""}</DialogTitle>
              <DialogDescription>
                Applies to {count(selectedCount)} issue{selectedCount === 1 ? "" : "s"}
                {kind === "businessImpact" ? " — the domains they sit under" : ""}
                {kind === "status" ? "; each gets a history row, and Salt is told of each once" : ""}.
              </DialogDescription>
            </DialogHeader>
            <div className="overflow-y-auto px-5 py-4">
              {kind === "status" ? <StatusChangeFields draft={draft} onChange={setDraft} errors={errors} /> : null}
              {kind === "owner" ? (
                <div className="space-y-1.5">
                  <label htmlFor={`${id}-owner`} className="block text-sm font-medium text-slate-800">
                    Owner
                  </label>
                  <Select id={`${id}-owner`} value={owner} onChange={(e) => setOwner(e.target.value)} disabled={!assignees.data}>
                    <option value={NOBODY}>Nobody</option>
                    {assignees.data?.map((m) => (
                      <option key={m.userId} value={m.userId}>
                        {memberLabel(m)}
                      </option>
                    ))}
                  </Select>
                </div>
              ) : null}
              {kind === "businessImpact" ? (
                <div className="space-y-1.5">
                  <label htmlFor={`${id}-impact`} className="block text-sm font-medium text-slate-800">
                    Business impact
                  </label>
                  <Select id={`${id}-impact`} value={impact} onChange={(e) => setImpact(e.target.value as BusinessImpact)}>
                    {businessImpacts.map((b) => (
                      <option key={b} value={b}>
                        {impactLabels[b]}
                      </option>
                    ))}
                  </Select>
                </div>
              ) : null}
              {mutation.isPending ? (
                <div className="mt-4" role="status">
                  <p className="mb-1 text-sm text-slate-700">
                    {kind === "status" && draft.status ? `Changing ${count(selectedCount)} issues to ${issueStatusLabels[draft.status]}…` : `Applying to ${count(selectedCount)} issues…`}
                  </p>
                  <div role="progressbar" aria-label="Bulk change progress" className="h-1.5 overflow-hidden rounded bg-slate-200">
                    <div className="h-full w-1/3 animate-pulse rounded bg-brand-500" />
                  </div>
                </div>
              ) : null}
              {mutation.isError ? (
                <p role="alert" className="mt-3 text-sm text-red-700">
                  {mutation.error.message}
                </p>
              ) : null}
            </div>
            <DialogFooter>
              <Button type="button" variant="secondary" onClick={() => setKind(null)} disabled={mutation.isPending}>
                Cancel
              </Button>
              <Button type="submit" disabled={mutation.isPending || (allMatching && matching.data === undefined)}>
                {mutation.isPending ? "Applying…" : `Apply to ${count(selectedCount)}`}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
