"use client";
// The issue table: on Issues, on an FQDN's Issues tab and on an API's page.
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable, type SortState } from "@/components/data-table/data-table";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import type { RouterOutputs } from "@/lib/trpc-types";
import { SeverityBadge, sourceLabel, StatusBadge } from "./badges";
import { SlaBadge } from "./sla-badge";

export type IssueRow = RouterOutputs["issues"]["list"]["rows"][number];

const columns = (withAsset: boolean): ColumnDef<IssueRow, unknown>[] => [
  { id: "severity", header: "Severity", meta: { sortKey: "severity", className: "w-32" }, cell: ({ row }) => <SeverityBadge severity={row.original.severity} /> },
  {
    id: "title",
    header: "Issue",
    meta: { title: true },
    cell: ({ row }) => (
      <span className="block min-w-0">
        <Link href={`/issues/${row.original.id}`} className="block truncate font-medium text-slate-900 hover:underline" title={row.original.title}>
          <SourceText>{row.original.title}</SourceText>
        </Link>
        {withAsset ? (
          <span className="block truncate text-xs text-slate-600" title={`${row.original.asset.name}${row.original.domain ? ` at ${row.original.domain.name}` : ""}`}>
            <SourceText className="font-mono">{row.original.asset.name}</SourceText>
            {row.original.domain && row.original.asset.assetType === "api" ? (
              <>
                {" · "}
                <SourceText>{row.original.domain.name}</SourceText>
              </>
            ) : null}
          </span>
        ) : null}
      </span>
    ),
  },
  { id: "category", header: "Category", meta: { className: "w-44", secondary: true }, cell: ({ row }) => <span className="block truncate">{row.original.category ? <SourceText>{row.original.category}</SourceText> : "—"}</span> },
  { id: "status", header: "Status", meta: { className: "w-36" }, cell: ({ row }) => <StatusBadge status={row.original.status} /> },
  { id: "source", header: "Source", meta: { className: "w-32", secondary: true }, cell: ({ row }) => <span className="whitespace-nowrap text-slate-600">{sourceLabel(row.original.source)}</span> },
  {
    id: "detected",
    header: "Age",
    meta: { sortKey: "detected", firstDir: "asc", className: "w-24" },
    cell: ({ row }) => (
<Time date={row.original.detectedAt} format="age" className="tabular-nums text-slate-600" />
    ),
  },
  { id: "sla", header: "SLA", meta: { className: "w-32" }, cell: ({ row }) => <SlaBadge issue={row.original} /> },
];

/** Row selection for bulk changes (the Issues list): a checkbox per row and one for the page. */
export type IssueSelectionState = {
  selected: ReadonlySet<string>;
  /** Every issue matching the filter is selected (all boxes show ticked). */
  allMatching: boolean;
  onToggle: (id: string, on: boolean) => void;
  onTogglePage: (on: boolean) => void;
};

const checkboxClass = "size-4 cursor-pointer accent-brand-600";

function selectionColumn(rows: IssueRow[], selection: IssueSelectionState): ColumnDef<IssueRow, unknown> {
  const pageSelected = rows.length > 0 && (selection.allMatching || rows.every((r) => selection.selected.has(r.id)));
  return {
    id: "select",
    header: () => (
      <label className="-m-2 flex p-2">
        <input
          type="checkbox"
          className={checkboxClass}
          aria-label="Select all issues on this page"
          checked={pageSelected}
          onChange={(e) => selection.onTogglePage(e.target.checked)}
        />
      </label>
    ),
    meta: { className: "w-10" },
    cell: ({ row }) => (
      <label className="-m-2 flex p-2">
        <input
          type="checkbox"
          className={checkboxClass}
          aria-label={`Select ${row.original.title} on ${row.original.asset.name}`}
          checked={selection.allMatching || selection.selected.has(row.original.id)}
          onChange={(e) => selection.onToggle(row.original.id, e.target.checked)}
        />
      </label>
    ),
  };
}

export function IssuesTable({
  rows,
  withAsset,
  sort,
  onSortChange,
  isFetching,
  empty,
  selection,
}: {
  rows: IssueRow[];
  withAsset: boolean;
  sort: SortState;
  onSortChange: (next: SortState) => void;
  isFetching: boolean;
  empty: React.ReactNode;
  selection?: IssueSelectionState;
}) {
  return (
    <DataTable
      label="Issues"
      columns={selection ? [selectionColumn(rows, selection), ...columns(withAsset)] : columns(withAsset)}
      rows={rows}
      rowHref={(row) => `/issues/${row.id}`}
      sort={sort}
      onSortChange={onSortChange}
      isFetching={isFetching}
      empty={empty}
    />
  );
}
