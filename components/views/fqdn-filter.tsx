"use client";
// The FQDN filter: a searchable multi-select of domains in a popover, with the chosen ones as removable chips.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronDown, X } from "lucide-react";
import { Popover } from "radix-ui";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export function FqdnFilter({ selectedIds, onChange }: { selectedIds: string[]; onChange: (ids: string[]) => void }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState(false);
  const selected = useQuery({ ...trpc.assets.fqdnOptions.queryOptions({ ids: selectedIds }), enabled: selectedIds.length > 0 });
  const options = useQuery({ ...trpc.assets.fqdnOptions.queryOptions({ q: search || undefined }), enabled: open, placeholderData: keepPreviousData });
  const selectedNames = new Map((selected.data?.selected ?? []).map((d) => [d.id, d.name]));
  const toggle = (id: string) => onChange(selectedIds.includes(id) ? selectedIds.filter((s) => s !== id) : [...selectedIds, id]);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger asChild>
          <Button variant="secondary" size="sm" className="h-9">
            FQDN{selectedIds.length ? ` (${selectedIds.length})` : ": all"}
            <ChevronDown aria-hidden />
          </Button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content align="start" sideOffset={6} className="z-50 w-80 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
            <Input type="search" aria-label="Find a domain" placeholder="Find a domain…" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus />
            <fieldset className="mt-2 max-h-72 overflow-y-auto">
              <legend className="sr-only">Domains</legend>
              {options.data?.matching.length === 0 ? <p className="px-2 py-3 text-sm text-slate-600">No domain matches.</p> : null}
              {options.data?.matching.map((domain) => (
                <label key={domain.id} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm hover:bg-slate-50">
                  <input type="checkbox" className="size-4 accent-brand-600" checked={selectedIds.includes(domain.id)} onChange={() => toggle(domain.id)} />
                  <span className="truncate">{domain.name}</span>
                </label>
              ))}
            </fieldset>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      {selectedIds.map((id) => (
        <span key={id} className="inline-flex h-7 items-center gap-1 rounded-full bg-brand-50 pr-1 pl-3 text-sm text-brand-700 ring-1 ring-brand-100 ring-inset">
          {selectedNames.get(id) ?? "…"}
          <button type="button" onClick={() => toggle(id)} className="rounded-full p-0.5 hover:bg-brand-100" aria-label={`Remove ${selectedNames.get(id) ?? "domain"} filter`}>
            <X className="size-3.5" aria-hidden />
          </button>
        </span>
      ))}
    </div>
  );
}
