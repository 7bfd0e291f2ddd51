"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { Server } from "lucide-react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { DataTable, TableSkeleton } from "@/components/data-table/data-table";
import { NoMatches } from "@/components/data-table/no-matches";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput } from "@/components/data-table/search-input";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SourceText } from "@/components/ui/source-text";
import { Time } from "@/components/ui/time";
import { RiskScore } from "@/components/views/badges";
import { formatNumber } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc-types";
import { hostListQuery, hostSearchParams } from "./search-params";

type HostRow = RouterOutputs["assets"]["listHosts"]["rows"][number];

/** An FQDN asset opens its page; a host's page is its issues (a host is its own top-level asset). */
function hostHref(row: HostRow): string {
  return row.assetType === "domain" ? `/assets/fqdns/${row.id}` : `/issues?fqdn=${row.id}`;
}

const columns: ColumnDef<HostRow, unknown>[] = [
  {
    id: "name",
    header: "Host",
    meta: { sortKey: "name", firstDir: "asc" },
    cell: ({ row }) => (
      <span className="flex min-w-0 items-center gap-2">
        <Link href={hostHref(row.original)} className="truncate font-medium text-slate-900 hover:underline" title={row.original.name}>
          <SourceText>{row.original.name}</SourceText>
        </Link>
        {row.original.assetType === "domain" ? <Badge tone="brand">FQDN asset</Badge> : null}
      </span>
    ),
  },
  { id: "ipv4", header: "IPv4", meta: { className: "w-36" }, cell: ({ row }) => <span className="tabular-nums text-slate-700">{row.original.ipv4 ?? "—"}</span> },
  {
    id: "os",
    header: "Operating system",
    meta: { className: "w-56" },
    cell: ({ row }) => (row.original.operatingSystem ? <SourceText className="text-slate-700">{row.original.operatingSystem}</SourceText> : <span className="text-slate-400">—</span>),
  },
  { id: "risk", header: "Risk", meta: { sortKey: "risk", className: "w-24" }, cell: ({ row }) => <RiskScore score={row.original.riskScore} worst={row.original.worstOpenSeverity} /> },
  {
    id: "open",
    header: "Open issues",
    meta: { sortKey: "open", className: "w-28 text-right" },
    cell: ({ row }) => <span className="tabular-nums">{formatNumber(row.original.openIssueCount)}</span>,
  },
  { id: "seen", header: "Last imported", meta: { className: "w-32" }, cell: ({ row }) => <Time date={row.original.lastSyncedAt} /> },
];

export function HostsClient() {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(hostSearchParams, { history: "push" });
  const list = useQuery({ ...trpc.assets.listHosts.queryOptions(hostListQuery(params)), placeholderData: keepPreviousData });
  const filtered = params.q !== "";

  if (list.data && list.data.total === 0 && !filtered) {
    return (
      <EmptyState
        icon={Server}
        title="No hosts yet"
        description="Set up the Tenable.io connector and import scan results: each scanned machine shows up here with its risk score."
        action={
          <Button asChild>
            <Link href="/settings/connectors">Open Connectors</Link>
          </Button>
        }
      />
    );
  }

  return (
    <>
      <div className="mb-4 flex flex-wrap items-center gap-3" role="search" aria-label="Filter hosts">
        <SearchInput value={params.q} onChange={(q) => setParams({ q: q || null, page: null }, { history: "replace" })} label="Search hosts" placeholder="Search hosts or IPs…" />
      </div>
      {list.data ? (
        <>
          <DataTable
            label="Hosts"
            columns={columns}
            rows={list.data.rows}
            rowHref={hostHref}
            sort={{ sort: params.sort, dir: params.dir }}
            onSortChange={({ sort, dir }) => setParams({ sort: sort as typeof params.sort, dir, page: null })}
            isFetching={list.isPlaceholderData}
            empty={<NoMatches noun="hosts" hint="Try another search." onClear={() => setParams({ q: null, page: null })} />}
          />
          <Pagination {...list.data} noun="hosts" onPageChange={(page) => setParams({ page })} />
        </>
      ) : (
        <TableSkeleton columns={6} />
      )}
    </>
  );
}
