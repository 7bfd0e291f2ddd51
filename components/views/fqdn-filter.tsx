"use client";
// The FQDN filter: the multi-select filter over domains, searched on the server, with the chosen ones as chips.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { FilterChip, MultiSelectFilter } from "./multi-select-filter";

/** The chosen domains' names (for chips shown elsewhere, such as the Issues list's chip row). */
export function useFqdnNames(ids: string[]) {
  const trpc = useTRPC();
  const selected = useQuery({ ...trpc.assets.fqdnOptions.queryOptions({ ids }), enabled: ids.length > 0 });
  return new Map((selected.data?.selected ?? []).map((d) => [d.id, d.name]));
}

/** The trigger and popover only (`chips={false}`: the caller shows the chips, e.g. in a row of all filters). */
export function FqdnFilter({ selectedIds, onChange, chips = true }: { selectedIds: string[]; onChange: (ids: string[]) => void; chips?: boolean }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const names = useFqdnNames(selectedIds);
  const options = useQuery({ ...trpc.assets.fqdnOptions.queryOptions({ q: search || undefined }), placeholderData: keepPreviousData });
  const remove = (id: string) => onChange(selectedIds.filter((s) => s !== id));

  return (
    <div className="flex flex-wrap items-center gap-2">
      <MultiSelectFilter
        label="FQDN"
        options={(options.data?.matching ?? []).map((d) => ({ value: d.id, label: d.name }))}
        selected={selectedIds}
        onChange={onChange}
        search={{ value: search, onChange: setSearch }}
        findLabel="Find a domain"
        emptyText="No domain matches."
      />
      {chips ? selectedIds.map((id) => <FilterChip key={id} label={names.get(id) ?? "…"} onRemove={() => remove(id)} />) : null}
    </div>
  );
}
