"use client";
// Configuration: the domains (Salt hosts) Postura syncs, the picker that adds them, and each one's sync state.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, Globe, Loader2, Plus, Search, Trash2 } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import { formatCount, formatNumber } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc-types";
import { DomainChoiceTable } from "./domain-choice-table";
import { Notice } from "./notice";
import { PreviousDomains } from "./previous-domains";
import { StepFooter, StepFrame, type StepMode } from "./step-frame";

type Integration = NonNullable<RouterOutputs["integrations"]["live"]>;
type SyncRun = RouterOutputs["sync"]["runs"][number];
const PAGE_SIZE = 25;

export function useSyncRuns(integrationId: string) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.sync.runs.queryOptions({ integrationId, limit: 200 }),
    // Poll while something is queued or running, so progress moves without a reload.
    refetchInterval: (query) => (query.state.data?.some((r) => r.state === "queued" || r.state === "running") ? 1500 : false),
  });
}

/** The newest run of each domain. */
export function latestRunByDomain(runs: SyncRun[] | undefined): Map<string, SyncRun> {
  const latest = new Map<string, SyncRun>();
  for (const run of runs ?? []) if (!latest.has(run.domain)) latest.set(run.domain, run);
  return latest;
}

export function DomainsStep({
  integration,
  mode,
  backHref,
  onFinish,
  finishing,
}: {
  integration: Integration;
  mode: StepMode;
  backHref?: string;
  onFinish?: () => void;
  finishing?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const domains = useQuery(trpc.integrations.domains.queryOptions({ id: integration.id }));
  const runs = useSyncRuns(integration.id);
  const latest = latestRunByDomain(runs.data);
  // When the last run in flight finishes, the domains' figures (APIs, open issues, last synced) have moved.
  const syncing = runs.data?.some((r) => r.state === "queued" || r.state === "running") ?? false;
  const wasSyncing = useRef(syncing);
  useEffect(() => {
    if (wasSyncing.current && !syncing) void queryClient.invalidateQueries({ queryKey: trpc.integrations.domains.queryKey({ id: integration.id }) });
    wasSyncing.current = syncing;
  }, [syncing, queryClient, trpc, integration.id]);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; host: string } | null>(null);
  const [added, setAdded] = useState<number | null>(null);
  // After adding, focus goes to the notice that says what happened (not to the page body).
  const addedNotice = useRef<HTMLDivElement>(null);
  const justAdded = useRef(false);

  const remove = useMutation(
    trpc.integrations.removeDomain.mutationOptions({
      onSuccess: async () => {
        setRemoving(null);
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
      },
    }),
  );

  const rows = domains.data ?? [];

  return (
    <StepFrame
      title="Configuration"
      description="Choose the Salt domains to track. Each becomes an FQDN asset with its endpoints as API assets, and its first sync starts right away."
      footer={
        mode === "wizard" ? (
          <StepFooter
            backHref={backHref}
            primaryLabel="Finish setup"
            pending={finishing}
            pendingLabel="Finishing…"
            onPrimary={onFinish}
          />
        ) : undefined
      }
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="text-sm text-slate-600">
            {rows.length === 0 ? "No domains associated yet." : `${formatNumber(rows.length)} associated ${rows.length === 1 ? "domain" : "domains"}`}
          </p>
          {/* The seed calls it Add project; what it adds is domains. */}
          <p id="add-project-description" className="text-xs text-slate-500">
            Add project imports domains Salt has discovered.
          </p>
        </div>
        <Button type="button" aria-describedby="add-project-description" onClick={() => setPickerOpen(true)}>
          <Plus aria-hidden />
          Add project
        </Button>
      </div>

      <PreviousDomains integrationId={integration.id} />

      {added !== null ? (
        <div ref={addedNotice} tabIndex={-1} className="rounded-md focus:outline-2 focus:outline-offset-2 focus:outline-brand-600">
          <Notice tone="success">
            {added === 0
              ? "Those domains were already associated."
              : `${added} ${added === 1 ? "domain" : "domains"} added. The first sync has started; progress shows in the table.`}
          </Notice>
        </div>
      ) : null}

      {domains.isPending ? (
        <Skeleton className="h-24" />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={Globe}
          title="No domains yet"
          description="Add project lists every host Salt has discovered. Pick the ones to import; you can add more later."
        />
      ) : (
        // relative: the header's sr-only label is absolutely positioned and would otherwise escape the scroller.
        <div className="relative overflow-x-auto rounded-lg border border-slate-200">
          <table className="w-full text-sm">
            <caption className="sr-only">Associated domains</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2">
                  Domain
                </th>
                <th scope="col" className="px-4 py-2">
                  Created
                </th>
                <th scope="col" className="px-4 py-2">
                  Sync
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((domain) => (
                <tr key={domain.id}>
                  <td className="px-4 py-2.5 font-medium text-slate-900">{domain.host}</td>
                  <td className="px-4 py-2.5 text-slate-600">
                    <Time date={domain.createdAt} format="date" />
                  </td>
                  <td className="px-4 py-2.5">
                    <SyncState run={latest.get(domain.host)} domain={domain} />
                  </td>
                  <td className="px-4 py-2.5 text-right">
                    <Button type="button" variant="ghost" size="sm" aria-label={`Remove ${domain.host}`} onClick={() => setRemoving(domain)}>
                      <Trash2 aria-hidden />
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <DomainPicker
        integrationId={integration.id}
        open={pickerOpen}
        onOpenChange={setPickerOpen}
        onAdded={(n) => {
          justAdded.current = true;
          setAdded(n);
          setPickerOpen(false);
        }}
        onCloseAutoFocus={(event) => {
          if (!justAdded.current) return;
          justAdded.current = false;
          event.preventDefault();
          addedNotice.current?.focus();
        }}
      />

      <Dialog open={removing !== null} onOpenChange={(open) => !open && setRemoving(null)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Stop syncing {removing?.host}?</DialogTitle>
            <DialogDescription>
              Postura stops syncing this domain. Its FQDN and API assets and their issues stay, marked as no longer synced. You can
              add it again later.
            </DialogDescription>
          </DialogHeader>
          {remove.error ? (
            <div className="px-5 pt-4">
              <Notice tone="danger">{remove.error.message}</Notice>
            </div>
          ) : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => removing && remove.mutate({ id: integration.id, assetId: removing.id })}
            >
              {remove.isPending ? <Loader2 aria-hidden className="animate-spin" /> : null}
              Remove domain
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </StepFrame>
  );
}

type DomainNow = { apiCount: number; openIssueCount: number; lastSyncedAt: Date | null };

/**
 * A domain's sync state. Once synced it says what the domain holds now ("25 APIs · 36 open · synced 2 min ago"),
 * with the last run's changes on hover: an unchanged re-sync changes nothing, which is not the same as empty.
 */
export function SyncState({ run, domain }: { run: SyncRun | undefined; domain?: DomainNow }) {
  if (!run) return <Badge tone="neutral">Not synced yet</Badge>;
  switch (run.state) {
    case "queued":
      return <Badge tone="brand">Queued</Badge>;
    case "running": {
      const total = run.progressTotal;
      const pct = total ? Math.round((run.progressDone / total) * 100) : null;
      return (
        <div className="flex items-center gap-2">
          <Badge tone="brand">
            <Loader2 aria-hidden className="size-3 animate-spin" />
            Syncing
          </Badge>
          {pct !== null ? (
            <div
              role="progressbar"
              aria-label={`Sync of ${run.domain}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct}
              className="h-1.5 w-24 overflow-hidden rounded-full bg-slate-200"
            >
              <div className="h-full bg-brand-600 transition-all" style={{ width: `${pct}%` }} />
            </div>
          ) : null}
        </div>
      );
    }
    case "succeeded":
      return (
        <span className="flex flex-wrap items-center gap-2">
          <Badge tone="success">Synced</Badge>
          {domain ? (
            <span
              className="text-xs text-slate-600"
              title={
                run.counts
                  ? `Last run: ${formatCount(run.counts.assetsCreated + run.counts.assetsUpdated, "asset")} added or updated, ${formatCount(run.counts.issuesCreated, "new issue")}, ${run.counts.issuesClosed} closed`
                  : undefined
              }
            >
              {formatCount(domain.apiCount, "API")} · {formatNumber(domain.openIssueCount)} open
              {domain.lastSyncedAt ? (
                <>
                  {" · synced "}
                  <Time date={domain.lastSyncedAt} />
                </>
              ) : null}
            </span>
          ) : run.counts ? (
            <span className="text-xs text-slate-600">
              {formatNumber(run.counts.assetsCreated + run.counts.assetsUpdated)} assets · {formatNumber(run.counts.issuesCreated)} new issues
            </span>
          ) : null}
        </span>
      );
    case "partial":
      return (
        <span className="flex items-center gap-2" title={run.errorMessage ?? undefined}>
          <Badge tone="warning">Partly synced</Badge>
          <span className="max-w-xs truncate text-xs text-slate-600">{run.errorMessage}</span>
        </span>
      );
    case "failed":
      return (
        <span className="flex items-center gap-2" title={run.errorMessage ?? undefined}>
          <Badge tone="danger">Failed</Badge>
          <span className="max-w-xs truncate text-xs text-slate-600">{run.errorMessage}</span>
        </span>
      );
  }
}

function DomainPicker({
  integrationId,
  open,
  onOpenChange,
  onAdded,
  onCloseAutoFocus,
}: {
  integrationId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAdded: (created: number) => void;
  onCloseAutoFocus: (event: Event) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search);
      setPage(1);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  const hosts = useQuery({
    ...trpc.integrations.hosts.queryOptions({ id: integrationId, q, page, pageSize: PAGE_SIZE }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const add = useMutation(
    trpc.integrations.addDomains.mutationOptions({
      onSuccess: async (result) => {
        setSelected(new Set());
        setSearch("");
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() });
        onAdded(result.created.length);
      },
    }),
  );

  const pageRows = useMemo(() => hosts.data?.hosts ?? [], [hosts.data]);
  const selectable = pageRows.filter((h) => !h.associated);
  const allOnPage = selectable.length > 0 && selectable.every((h) => selected.has(h.host));
  const toggle = (host: string) => {
    const next = new Set(selected);
    if (next.has(host)) next.delete(host);
    else next.add(host);
    setSelected(next);
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="w-[min(94vw,52rem)]" onCloseAutoFocus={onCloseAutoFocus}>
        <DialogHeader>
          <DialogTitle>Add project</DialogTitle>
          <DialogDescription>Every host Salt Security has discovered. Select the domains to import into Postura.</DialogDescription>
        </DialogHeader>
        <div className="border-b border-slate-100 px-5 py-3">
          <div className="relative">
            <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
            <Input
              type="search"
              aria-label="Search domains"
              placeholder="Search by domain or label"
              className="pl-9"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto">
          {hosts.error ? (
            <div className="p-5">
              <Notice tone="danger">{hosts.error.message}</Notice>
            </div>
          ) : hosts.isPending ? (
            <div className="space-y-2 p-5">
              {Array.from({ length: 6 }, (_, i) => (
                <Skeleton key={i} className="h-8" />
              ))}
            </div>
          ) : pageRows.length === 0 ? (
            <p className="px-5 py-10 text-center text-sm text-slate-600">
              {q ? `No discovered host matches “${q}”.` : "Salt has not discovered any hosts yet."}
            </p>
          ) : (
            <DomainChoiceTable
              caption={`Discovered hosts, page ${hosts.data?.page}`}
              busy={hosts.isFetching}
              idPrefix="host"
              hostTestId="picker-host"
              selectAll={{
                label: "Select every domain on this page",
                checked: allOnPage,
                disabled: selectable.length === 0,
                onChange: () => {
                  const next = new Set(selected);
                  for (const h of selectable) {
                    if (allOnPage) next.delete(h.host);
                    else next.add(h.host);
                  }
                  setSelected(next);
                },
              }}
              figures={["Endpoints", "Open posture gaps"]}
              rows={pageRows.map((h) => ({
                key: h.host,
                host: h.host,
                checked: h.associated || selected.has(h.host),
                disabled: h.associated,
                after: (
                  <>
                    {h.associated ? <Badge tone="success">Added</Badge> : null}
                    {h.labels.slice(0, 3).map((label) => (
                      <Badge key={label} tone="neutral" className="block max-w-48 truncate" title={label}>
                        <SourceText>{label}</SourceText>
                      </Badge>
                    ))}
                  </>
                ),
                figures: [formatNumber(h.endpointCount), h.openPostureGapCount === null ? "—" : formatNumber(h.openPostureGapCount)],
              }))}
              onToggle={toggle}
            />
          )}
        </div>
        {hosts.data && hosts.data.total > 0 ? (
          <div className="flex items-center justify-between border-t border-slate-100 px-5 py-2 text-sm text-slate-600">
            <span>
              {formatNumber(hosts.data.total)} {hosts.data.total === 1 ? "host" : "hosts"} · page {hosts.data.page} of {hosts.data.pageCount}
            </span>
            <div className="flex gap-1">
              <Button type="button" variant="ghost" size="sm" disabled={hosts.data.page <= 1} onClick={() => setPage(hosts.data.page - 1)}>
                <ChevronLeft aria-hidden />
                Previous
              </Button>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                disabled={hosts.data.page >= hosts.data.pageCount}
                onClick={() => setPage(hosts.data.page + 1)}
              >
                Next
                <ChevronRight aria-hidden />
              </Button>
            </div>
          </div>
        ) : null}
        {add.error ? (
          <div className="px-5 pb-3">
            <Notice tone="danger">{add.error.message}</Notice>
          </div>
        ) : null}
        <DialogFooter className="items-center justify-between">
          <span className="text-sm text-slate-600" aria-live="polite">
            {selected.size === 0 ? "No domains selected" : `${selected.size} selected`}
          </span>
          <div className="flex gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button
              disabled={selected.size === 0 || add.isPending}
              onClick={() => add.mutate({ id: integrationId, hosts: [...selected] })}
            >
              {add.isPending ? <Loader2 aria-hidden className="animate-spin" /> : null}
              {selected.size > 1 ? `Add ${selected.size} domains` : "Add"}
            </Button>
          </div>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
