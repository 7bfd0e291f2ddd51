"use client";
// A list filter that takes several values: a button naming the filter and how many are chosen, a popover of
// checkboxes (with a find box when the list is long, or a server-side search), and removable chips for what is chosen.
import { ChevronDown, X } from "lucide-react";
import { Popover } from "radix-ui";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export type FilterOption = { value: string; label: string };

export function MultiSelectFilter({
  label,
  options,
  selected,
  onChange,
  search,
  findLabel,
  emptyText = "Nothing to choose from.",
}: {
  label: string;
  options: FilterOption[];
  selected: string[];
  onChange: (values: string[]) => void;
  /** A search the caller runs (the options follow it); without it, more than 8 options get a local find box. */
  search?: { value: string; onChange: (q: string) => void };
  /** The find box's label, e.g. "Find a domain". */
  findLabel?: string;
  emptyText?: string;
}) {
  const [localSearch, setLocalSearch] = useState("");
  const findable = search !== undefined || options.length > 8;
  const needle = localSearch.trim().toLowerCase();
  const shown = search || !needle ? options : options.filter((o) => o.label.toLowerCase().includes(needle));
  const toggle = (value: string) => onChange(selected.includes(value) ? selected.filter((s) => s !== value) : [...selected, value]);

  return (
    <Popover.Root onOpenChange={(open) => (open ? undefined : setLocalSearch(""))}>
      <Popover.Trigger asChild>
        <Button variant="secondary" size="sm" className="h-9">
          {label}
          {selected.length ? (
            <>
              <span aria-hidden className="rounded-full bg-brand-50 px-1.5 text-xs text-brand-700 tabular-nums">
                {selected.length}
              </span>
              <span className="sr-only">, {selected.length} chosen</span>
            </>
          ) : null}
          <ChevronDown aria-hidden />
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={6} collisionPadding={8} className="z-50 w-72 max-w-[calc(100vw-1rem)] rounded-md border border-slate-200 bg-white p-2 shadow-lg">
          {findable ? (
            <Input
              type="search"
              aria-label={findLabel ?? `Find a ${label.toLowerCase()}`}
              placeholder={`${findLabel ?? `Find a ${label.toLowerCase()}`}…`}
              value={search ? search.value : localSearch}
              onChange={(e) => (search ? search.onChange(e.target.value) : setLocalSearch(e.target.value))}
              autoFocus
              className="mb-2"
            />
          ) : null}
          <fieldset className="max-h-72 overflow-y-auto">
            <legend className="sr-only">{label}</legend>
            {shown.length === 0 ? <p className="px-2 py-3 text-sm text-slate-600">{options.length ? "Nothing matches." : emptyText}</p> : null}
            {shown.map((option, i) => (
              <label key={option.value} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm hover:bg-slate-50">
                <input
                  type="checkbox"
                  className="size-4 accent-brand-600"
                  checked={selected.includes(option.value)}
                  onChange={() => toggle(option.value)}
                  autoFocus={!findable && i === 0}
                />
                <bdi className="truncate">{option.label}</bdi>
              </label>
            ))}
          </fieldset>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** One chosen value, removable: "Severity: Critical ×". */
export function FilterChip({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <span className="inline-flex h-7 max-w-full items-center gap-1 rounded-full bg-brand-50 pr-1 pl-3 text-sm text-brand-700 ring-1 ring-brand-100 ring-inset">
      <bdi className="truncate">{label}</bdi>
      <button type="button" onClick={onRemove} className="shrink-0 rounded-full p-0.5 hover:bg-brand-100" aria-label={`Remove ${label} filter`}>
        <X className="size-3.5" aria-hidden />
      </button>
    </span>
  );
}
