"use client";
// The API endpoint table: on Assets → APIs (with its parent FQDN) and on an FQDN's APIs tab (without).
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable, type SortState } from "@/components/data-table/data-table";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import { formatNumber } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc-types";
import { MethodBadge, RiskScore } from "./badges";

export type ApiRow = RouterOutputs["assets"]["listApis"]["rows"][number];

const columns = (withFqdn: boolean): ColumnDef<ApiRow, unknown>[] => [
  {
    id: "name",
    header: "Endpoint",
    meta: { sortKey: "name", firstDir: "asc", title: true },
    cell: ({ row }) => (
      <span className="flex min-w-0 items-center gap-2">
        <MethodBadge method={row.original.method} />
        <Link href={`/assets/apis/${row.original.id}`} className="truncate font-mono text-[13px] text-slate-900 hover:underline" title={row.original.path ?? row.original.name}>
          <SourceText>{row.original.path ?? row.original.name}</SourceText>
        </Link>
        {!row.original.active ? <span className="text-xs text-slate-500">(gone)</span> : null}
      </span>
    ),
  },
  ...(withFqdn
    ? [
        {
          id: "fqdn",
          header: "FQDN",
          meta: { className: "w-60" },
          cell: ({ row }) =>
            row.original.fqdn ? (
              <Link href={`/assets/fqdns/${row.original.fqdn.id}`} className="block truncate text-brand-700 hover:underline">
                <SourceText>{row.original.fqdn.name}</SourceText>
              </Link>
            ) : (
              "—"
            ),
        } satisfies ColumnDef<ApiRow, unknown>,
      ]
    : []),
  { id: "risk", header: "Risk", meta: { sortKey: "risk", className: "w-24" }, cell: ({ row }) => <RiskScore score={row.original.riskScore} worst={row.original.worstOpenSeverity} /> },
  {
    id: "open",
    header: "Open issues",
    meta: { sortKey: "open", className: "w-32 text-right" },
    cell: ({ row }) => <span className="tabular-nums">{formatNumber(row.original.openIssueCount)}</span>,
  },
  {
    id: "synced",
    header: "Last synced",
    meta: { className: "w-36", secondary: true },
    cell: ({ row }) => (
<Time date={row.original.lastSyncedAt} className="text-slate-600" />
    ),
  },
];

export function ApisTable({
  rows,
  withFqdn,
  sort,
  onSortChange,
  isFetching,
  empty,
}: {
  rows: ApiRow[];
  withFqdn: boolean;
  sort: SortState;
  onSortChange: (next: SortState) => void;
  isFetching: boolean;
  empty: React.ReactNode;
}) {
  return (
    <DataTable
      label="API endpoints"
      columns={columns(withFqdn)}
      rows={rows}
      rowHref={(row) => `/assets/apis/${row.id}`}
      sort={sort}
      onSortChange={onSortChange}
      isFetching={isFetching}
      empty={empty}
    />
  );
}
