"use client";
import { ClearFiltersButton, NoMatches } from "@/components/data-table/no-matches";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Boxes } from "lucide-react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { TableSkeleton } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput } from "@/components/data-table/search-input";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { ApisTable } from "@/components/views/apis-table";
import { FqdnFilter } from "@/components/views/fqdn-filter";
import { httpMethods } from "@/lib/list-options";
import { apiListQuery, apiSearchParams, riskBands } from "./search-params";

export function ApisClient() {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(apiSearchParams, { history: "push" });
  const input = apiListQuery(params);
  const list = useQuery({ ...trpc.assets.listApis.queryOptions(input), placeholderData: keepPreviousData });
  const filtered = Boolean(input.q || input.fqdnIds || input.methods || input.riskMin !== undefined || input.riskMax !== undefined);
  const clearFilters = () => setParams({ q: null, fqdn: null, method: null, riskMin: null, riskMax: null, page: null });
  const bandIndex = riskBands.findIndex((b) => b.min === (params.riskMin ?? undefined) && b.max === params.riskMax);

  if (list.data && list.data.total === 0 && !filtered) {
    return (
      <EmptyState
        icon={Boxes}
        title="No APIs yet"
        description="Connect Salt Security to discover your APIs: every endpoint under the domains you associate appears here."
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
      <div className="mb-4 flex flex-wrap items-start gap-3" role="search" aria-label="Filter APIs">
        <SearchInput value={params.q} onChange={(q) => setParams({ q: q || null, page: null }, { history: "replace" })} label="Search APIs" placeholder="Search by method or path…" />
        <Select
          aria-label="Method"
          className="w-36"
          value={params.method.length === 1 ? params.method[0] : ""}
          onChange={(e) => setParams({ method: e.target.value ? [e.target.value as (typeof httpMethods)[number]] : null, page: null })}
        >
          <option value="">All methods</option>
          {httpMethods.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </Select>
        <Select
          aria-label="Risk"
          className="w-44"
          value={bandIndex >= 0 ? String(bandIndex) : params.riskMin !== null || params.riskMax !== null ? "custom" : ""}
          onChange={(e) => {
            const band = riskBands[Number(e.target.value)];
            setParams({ riskMin: band ? band.min : null, riskMax: band ? band.max : null, page: null });
          }}
        >
          <option value="">Any risk</option>
          {riskBands.map((band, i) => (
            <option key={band.label} value={String(i)}>
              {band.label}
            </option>
          ))}
          {bandIndex < 0 && (params.riskMin !== null || params.riskMax !== null) ? (
            <option value="custom">
              Risk {params.riskMin ?? 0}–{params.riskMax ?? "∞"}
            </option>
          ) : null}
        </Select>
        <FqdnFilter selectedIds={input.fqdnIds ?? []} onChange={(ids) => setParams({ fqdn: ids.length ? ids : null, page: null })} />
        <ClearFiltersButton visible={filtered} onClear={clearFilters} />
      </div>
      {list.data ? (
        <>
          <ApisTable
            rows={list.data.rows}
            withFqdn
            sort={{ sort: params.sort, dir: params.dir }}
            onSortChange={({ sort, dir }) => setParams({ sort: sort as typeof params.sort, dir, page: null })}
            isFetching={list.isPlaceholderData}
            empty={<NoMatches noun="APIs" hint={"Search matches the start of path words (“ord” finds /orders). Try another word or clear the filters."} onClear={clearFilters} />}
          />
          <Pagination {...list.data} noun="APIs" onPageChange={(page) => setParams({ page })} />
        </>
      ) : (
        <TableSkeleton columns={5} />
      )}
    </>
  );
}
