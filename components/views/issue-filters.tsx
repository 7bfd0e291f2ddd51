"use client";
// The filter bar of the Issues lists (the Issues page and a domain's Issues tab): search, the Open / Closed / All
// switch, one multi-select per facet, and the chosen values as removable chips. Compact at any width: from `lg`
// the facets sit in a row under the search; below it they fold behind a "Filters" button.
import { useQuery } from "@tanstack/react-query";
import { SlidersHorizontal } from "lucide-react";
import { useState } from "react";
import { ClearFiltersButton } from "@/components/data-table/no-matches";
import { SearchInput } from "@/components/data-table/search-input";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { sourceLabel } from "@/components/views/badges";
import { FqdnFilter, useFqdnNames } from "@/components/views/fqdn-filter";
import { FilterChip, type FilterOption, MultiSelectFilter } from "@/components/views/multi-select-filter";
import { type SlaFilter, slaStateLabels, slaStates } from "@/lib/sla";
import { type ForwardFilterState, forwardFilterStates } from "@/db/schema/forwarding";
import type { WriteBackState } from "@/db/schema/sync";
import { type IssueState, issueStates, issueStateStatuses, issueStatusLabels, severities, severityLabels } from "@/db/schema/vocabulary";
import { clearedIssueFilters, type IssueFilterParams, issueStateOf, writeBackFilterStates } from "@/app/(app)/issues/search-params";

const stateLabels: Record<IssueState, string> = { open: "Open", closed: "Closed", all: "All" };
const forwardLabels: Record<ForwardFilterState, string> = {
  not_forwarded: "Not forwarded",
  filtered: "Filtered out",
  pending: "Pending",
  forwarded: "In Snapsec VM",
  failed: "Failed",
};
const writeBackLabels: Record<WriteBackState, string> = { pending: "Write-back pending", done: "Written back", skipped: "Not written back", failed: "Write-back failed" };
/** Sources that import issues, and issues added by hand. */
const sourceChoices = ["salt_security", "tenable_io", "manual"] as const;

export type IssueFilterPatch = { [K in keyof IssueFilterParams]?: IssueFilterParams[K] | null } & { page?: null };

/** True when anything but the default (open issues, no search) is chosen; `ignoreState`: anything narrowing the switch's position. */
export function issueFiltersChosen(p: IssueFilterParams, { ignoreFqdn = false, ignoreState = false } = {}) {
  return Boolean(
    p.q || (!ignoreState && p.state) || p.severity.length || p.status.length || p.category.length || p.source.length || p.owner.length || p.forward.length ||
      p.writeBack.length || p.sla || (!ignoreFqdn && p.fqdn.length),
  );
}

export function IssueFilters({
  params,
  onChange,
  withFqdn = true,
  searchLabel = "Search issues",
  actions,
}: {
  params: IssueFilterParams;
  onChange: (patch: IssueFilterPatch, options?: { history: "replace" }) => void;
  /** The FQDN facet (off on a domain's own tab). */
  withFqdn?: boolean;
  searchLabel?: string;
  /** Shown at the end of the top row (the Views menu). */
  actions?: React.ReactNode;
}) {
  const trpc = useTRPC();
  const [folded, setFolded] = useState(true);
  const categories = useQuery(trpc.issues.categories.queryOptions());
  const members = useQuery(trpc.issues.assignees.queryOptions());
  const fqdnNames = useFqdnNames(withFqdn ? params.fqdn : []);
  const state = issueStateOf(params);
  const set = (patch: IssueFilterPatch) => onChange({ ...patch, page: null });

  const facets: { key: "severity" | "status" | "category" | "source" | "owner" | "forward" | "writeBack"; label: string; options: FilterOption[] }[] = [
    { key: "severity", label: "Severity", options: [...severities].reverse().map((s) => ({ value: s, label: severityLabels[s] })) },
    // The statuses the switch's position covers: Open offers Identified and In Progress.
    { key: "status", label: "Status", options: issueStateStatuses[state].map((s) => ({ value: s, label: issueStatusLabels[s] })) },
    { key: "category", label: "Category", options: (categories.data ?? []).map((c) => ({ value: c, label: c })) },
    { key: "source", label: "Source", options: sourceChoices.map((s) => ({ value: s, label: s === "manual" ? "Added by hand" : sourceLabel(s) })) },
    {
      key: "owner",
      label: "Owner",
      options: [
        { value: "me", label: "Me" },
        { value: "none", label: "Unassigned" },
        ...(members.data ?? []).map((m) => ({ value: m.userId, label: `${m.name} (${m.email})` })),
      ],
    },
    { key: "forward", label: "Snapsec VM", options: forwardFilterStates.map((s) => ({ value: s, label: forwardLabels[s] })) },
    { key: "writeBack", label: "Write-back", options: writeBackFilterStates.map((s) => ({ value: s, label: writeBackLabels[s] })) },
  ];
  const chosen = facets.reduce((n, f) => n + params[f.key].length, (withFqdn ? params.fqdn.length : 0) + (params.sla ? 1 : 0));
  const slaOptions: FilterOption[] = slaStates.map((s) => ({ value: s, label: slaStateLabels[s] }));
  const labelOf = (facet: (typeof facets)[number], value: string) =>
    facet.options.find((o) => o.value === value)?.label ?? (facet.key === "owner" ? "A former member" : value);

  return (
    <div className="mb-4 space-y-3" role="search" aria-label="Filter issues">
      <div className="flex flex-wrap items-center gap-2">
        <SearchInput value={params.q} onChange={(q) => onChange({ q: q || null, page: null }, { history: "replace" })} label={searchLabel} placeholder="Search issues, categories, CWE…" />
        <fieldset className="inline-flex h-9 rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
          <legend className="sr-only">Show</legend>
          {issueStates.map((s) => (
            <label
              key={s}
              className={cn(
                "relative flex cursor-pointer items-center rounded px-3 text-sm font-medium text-slate-600 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500",
                s === state && "bg-slate-900 text-white",
              )}
            >
              <input
                type="radio"
                name="issue-state"
                value={s}
                // Over the whole label, invisible: the label is what is seen and clicked.
                className="absolute inset-0 cursor-pointer opacity-0"
                checked={s === state}
                // The statuses chosen outside the new position no longer apply.
                onChange={() => set({ state: s, status: params.status.filter((st) => issueStateStatuses[s].includes(st)) })}
              />
              {stateLabels[s]}
            </label>
          ))}
        </fieldset>
        <Button variant="secondary" size="sm" className="h-9 lg:hidden" aria-expanded={!folded} aria-controls="issue-facets" onClick={() => setFolded(!folded)}>
          <SlidersHorizontal aria-hidden />
          Filters{chosen ? ` (${chosen})` : ""}
        </Button>
        {actions}
        <ClearFiltersButton visible={issueFiltersChosen(params, { ignoreFqdn: !withFqdn })} onClear={() => onChange(clearedIssueFilters)} />
      </div>
      <div id="issue-facets" role="group" aria-label="Issue filters" className={cn("flex-wrap items-center gap-2 lg:flex", folded ? "hidden" : "flex")}>
        {facets.map((facet) => (
          <MultiSelectFilter key={facet.key} label={facet.label} options={facet.options} selected={params[facet.key]} onChange={(values) => set({ [facet.key]: values.length ? values : null })} />
        ))}
        {/* One SLA state at a time: choosing the other replaces it. */}
        <MultiSelectFilter
          label="SLA"
          options={slaOptions}
          selected={params.sla ? [params.sla] : []}
          onChange={(values) => set({ sla: (values.find((v) => v !== params.sla) as SlaFilter | undefined) ?? null })}
        />
        {withFqdn ? <FqdnFilter chips={false} selectedIds={params.fqdn} onChange={(ids) => set({ fqdn: ids.length ? ids : null })} /> : null}
      </div>
      {chosen ? (
        <ul className="flex flex-wrap items-center gap-2" aria-label="Chosen filters">
          {facets.flatMap((facet) =>
            params[facet.key].map((value) => (
              <li key={`${facet.key}:${value}`} className="max-w-full">
                <FilterChip
                  label={`${facet.label}: ${labelOf(facet, value)}`}
                  onRemove={() => {
                    const rest = params[facet.key].filter((v) => v !== value);
                    set({ [facet.key]: rest.length ? rest : null });
                  }}
                />
              </li>
            )),
          )}
          {params.sla ? (
            <li className="max-w-full">
              <FilterChip label={slaStateLabels[params.sla]} onRemove={() => set({ sla: null })} />
            </li>
          ) : null}
          {withFqdn
            ? params.fqdn.map((id) => (
                <li key={`fqdn:${id}`} className="max-w-full">
                  <FilterChip
                    label={fqdnNames.get(id) ?? "…"}
                    onRemove={() => {
                      const rest = params.fqdn.filter((v) => v !== id);
                      set({ fqdn: rest.length ? rest : null });
                    }}
                  />
                </li>
              ))
            : null}
        </ul>
      ) : null}
    </div>
  );
}
