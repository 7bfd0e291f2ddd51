"use client";
import { NoMatches } from "@/components/data-table/no-matches";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ShieldAlert, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import { TableSkeleton } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { BulkIssueActions } from "@/components/views/bulk-issue-actions";
import { IssuesTable } from "@/components/views/issues-table";
import { IssueFilters, issueFiltersChosen } from "@/components/views/issue-filters";
import { SavedViewsMenu } from "@/components/views/saved-views-menu";
import { clearedIssueFilters, issueListQuery, issueSearchParams } from "./search-params";

const noBulkActions = { status: false, owner: false, businessImpact: false };

export function IssuesClient({ may = noBulkActions }: { may?: { status: boolean; owner: boolean; businessImpact: boolean } }) {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(issueSearchParams, { history: "push" });
  const input = issueListQuery(params);
  const list = useQuery({ ...trpc.issues.list.queryOptions(input), placeholderData: keepPreviousData });
  const filtered = issueFiltersChosen(params);
  const clearFilters = () => setParams(clearedIssueFilters);
  const { sort: _sort, dir: _dir, page: _page, ...filter } = input;
  const filterKey = JSON.stringify(filter);
  // The selection belongs to one filter: changing the filter starts a new one.
  const [selection, setSelection] = useState<{ key: string; ids: Set<string>; allMatching: boolean }>({ key: filterKey, ids: new Set(), allMatching: false });
  const current = selection.key === filterKey ? selection : { key: filterKey, ids: new Set<string>(), allMatching: false };
  const pageIds = list.data?.rows.map((r) => r.id) ?? [];
  const canBulk = may.status || may.owner || may.businessImpact;

  // Open issues are the default: an empty default list may still hide closed ones.
  const noneOpen = list.data?.total === 0 && !filtered;
  const anyIssue = useQuery({ ...trpc.issues.matchingCount.queryOptions({ state: "all" }), enabled: noneOpen });
  if (noneOpen && anyIssue.data === undefined) return <TableSkeleton columns={7} />;
  if (noneOpen && anyIssue.data) {
    return (
      <EmptyState
        icon={ShieldCheck}
        title="No open issues"
        description={`Every issue is fixed, accepted or a false positive (${anyIssue.data} in all).`}
        action={
          <Button variant="secondary" onClick={() => setParams({ state: "all" })}>
            Show all issues
          </Button>
        }
      />
    );
  }
  if (noneOpen) {
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
      <IssueFilters params={params} onChange={setParams} actions={<SavedViewsMenu />} />
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
