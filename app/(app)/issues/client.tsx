"use client";
import { ClearFiltersButton, NoMatches } from "@/components/data-table/no-matches";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ShieldAlert } from "lucide-react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import { TableSkeleton } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput } from "@/components/data-table/search-input";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { sourceLabels } from "@/components/views/badges";
import { BulkIssueActions } from "@/components/views/bulk-issue-actions";
import { FqdnFilter } from "@/components/views/fqdn-filter";
import { IssuesTable } from "@/components/views/issues-table";
import { type IssueStatus, issueStatuses, issueStatusLabels, type Severity, severities, severityLabels } from "@/db/schema/vocabulary";
import { type SlaFilter, slaStateLabels, slaStates } from "@/lib/sla";
import { issueListQuery, issueSearchParams, issueSources, writeBackFilterStates } from "./search-params";

const writeBackFilterLabels: Record<(typeof writeBackFilterStates)[number], string> = {
  pending: "Write-back pending",
  done: "Written back",
  skipped: "Not written back",
  failed: "Write-back failed",
};

const OPEN = "open";
const openStatuses: IssueStatus[] = ["identified", "in_progress"];

const noBulkActions = { status: false, owner: false, businessImpact: false };

export function IssuesClient({ may = noBulkActions }: { may?: { status: boolean; owner: boolean; businessImpact: boolean } }) {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(issueSearchParams, { history: "push" });
  const input = issueListQuery(params);
  const list = useQuery({ ...trpc.issues.list.queryOptions(input), placeholderData: keepPreviousData });
  const categories = useQuery(trpc.issues.categories.queryOptions());
  const filtered = Boolean(input.q || input.severities || input.statuses || input.category || input.source || input.fqdnIds || input.writeBack || input.owner || input.sla);
  const clearFilters = () =>
    setParams({ q: null, severity: null, status: null, category: null, source: null, fqdn: null, writeBack: null, owner: null, sla: null, page: null });
  const { sort: _sort, dir: _dir, page: _page, ...filter } = input;
  const filterKey = JSON.stringify(filter);
  // The selection belongs to one filter: changing the filter starts a new one.
  const [selection, setSelection] = useState<{ key: string; ids: Set<string>; allMatching: boolean }>({ key: filterKey, ids: new Set(), allMatching: false });
  const current = selection.key === filterKey ? selection : { key: filterKey, ids: new Set<string>(), allMatching: false };
  const pageIds = list.data?.rows.map((r) => r.id) ?? [];
  const canBulk = may.status || may.owner || may.businessImpact;
  const statusValue =
    params.status.length === 0
      ? ""
      : params.status.length === 2 && openStatuses.every((s) => params.status.includes(s))
        ? OPEN
        : params.status.length === 1
          ? params.status[0]!
          : "custom";

  if (list.data && list.data.total === 0 && !filtered) {
    return (
      <EmptyState
        icon={ShieldAlert}
        title="No issues yet"
        description="Connect Salt Security to import its posture gaps: each one becomes an issue you can track to a fix."
        action={
          <Button asChild>
            <Link href="/integrations">Connect Salt Security</Link>
          </Button>
        }
      />
    );
  }

  return (
    <>
      <div className="mb-4 flex flex-wrap items-start gap-3" role="search" aria-label="Filter issues">
        <SearchInput value={params.q} onChange={(q) => setParams({ q: q || null, page: null }, { history: "replace" })} label="Search issues" placeholder="Search issues, categories, CWE…" />
        <Select
          aria-label="Severity"
          className="w-40"
          value={params.severity.length === 1 ? params.severity[0] : params.severity.length ? "custom" : ""}
          onChange={(e) => setParams({ severity: e.target.value ? [e.target.value as Severity] : null, page: null })}
        >
          <option value="">All severities</option>
          {[...severities].reverse().map((s) => (
            <option key={s} value={s}>
              {severityLabels[s]}
            </option>
          ))}
          {params.severity.length > 1 ? <option value="custom">{params.severity.map((s) => severityLabels[s]).join(", ")}</option> : null}
        </Select>
        <Select
          aria-label="Status"
          className="w-44"
          value={statusValue}
          onChange={(e) => {
            const v = e.target.value;
            setParams({ status: v === "" ? null : v === OPEN ? openStatuses : [v as IssueStatus], page: null });
          }}
        >
          <option value="">All statuses</option>
          <option value={OPEN}>Open (Identified, In Progress)</option>
          {issueStatuses.map((s) => (
            <option key={s} value={s}>
              {issueStatusLabels[s]}
            </option>
          ))}
          {statusValue === "custom" ? <option value="custom">{params.status.map((s) => issueStatusLabels[s]).join(", ")}</option> : null}
        </Select>
        <Select aria-label="Category" className="w-52" value={params.category} onChange={(e) => setParams({ category: e.target.value || null, page: null })}>
          <option value="">All categories</option>
          {categories.data?.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
        <Select
          aria-label="Source"
          className="w-40"
          value={params.source ?? ""}
          onChange={(e) => setParams({ source: (e.target.value || null) as (typeof issueSources)[number] | null, page: null })}
        >
          <option value="">All sources</option>
          {issueSources.map((s) => (
            <option key={s} value={s}>
              {s === "manual" ? "Added by hand" : sourceLabels[s]}
            </option>
          ))}
        </Select>
        <Select
          aria-label="Write-back"
          className="w-44"
          value={params.writeBack ?? ""}
          onChange={(e) => setParams({ writeBack: (e.target.value || null) as (typeof writeBackFilterStates)[number] | null, page: null })}
        >
          <option value="">Any write-back</option>
          {writeBackFilterStates.map((s) => (
            <option key={s} value={s}>
              {writeBackFilterLabels[s]}
            </option>
          ))}
        </Select>
        <Select
          aria-label="SLA"
          className="w-36"
          value={params.sla ?? ""}
          onChange={(e) => setParams({ sla: (e.target.value || null) as SlaFilter | null, page: null })}
        >
          <option value="">Any SLA</option>
          {slaStates.map((s) => (
            <option key={s} value={s}>
              {slaStateLabels[s]}
            </option>
          ))}
        </Select>
        <label className="flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3 text-sm shadow-sm">
          <input
            type="checkbox"
            className="size-4 accent-brand-600"
            checked={params.owner === "me"}
            onChange={(e) => setParams({ owner: e.target.checked ? "me" : null, page: null })}
          />
          Assigned to me
        </label>
        <FqdnFilter selectedIds={input.fqdnIds ?? []} onChange={(ids) => setParams({ fqdn: ids.length ? ids : null, page: null })} />
        <ClearFiltersButton visible={filtered} onClear={clearFilters} />
      </div>
      {canBulk ? (
        <BulkIssueActions
          selectedIds={[...current.ids]}
          allOnPageSelected={pageIds.length > 0 && pageIds.every((id) => current.ids.has(id))}
          pageSize={pageIds.length}
          filter={filter}
          allMatching={current.allMatching}
          onSelectAllMatching={() => setSelection({ ...current, allMatching: true })}
          onClear={() => setSelection({ key: filterKey, ids: new Set(), allMatching: false })}
          may={may}
        />
      ) : null}
      {list.data ? (
        <>
          <IssuesTable
            selection={
              canBulk
                ? {
                    selected: current.ids,
                    allMatching: current.allMatching,
                    onToggle: (id, on) => {
                      const ids = new Set(current.ids);
                      if (on) ids.add(id);
                      else ids.delete(id);
                      setSelection({ key: filterKey, ids, allMatching: false });
                    },
                    onTogglePage: (on) => {
                      const ids = new Set(current.ids);
                      for (const id of pageIds) if (on) ids.add(id);
                      else ids.delete(id);
                      setSelection({ key: filterKey, ids, allMatching: false });
                    },
                  }
                : undefined
            }
            rows={list.data.rows}
            withAsset
            sort={{ sort: params.sort, dir: params.dir }}
            onSortChange={({ sort, dir }) => setParams({ sort: sort as typeof params.sort, dir, page: null })}
            isFetching={list.isPlaceholderData}
            empty={<NoMatches noun="issues" hint={"Search matches the start of words in the issue's name, category or CWE. Try another word or clear the filters."} onClear={clearFilters} />}
          />
          <Pagination {...list.data} noun="issues" onPageChange={(page) => setParams({ page })} />
        </>
      ) : (
        <TableSkeleton columns={7} />
      )}
    </>
  );
}
