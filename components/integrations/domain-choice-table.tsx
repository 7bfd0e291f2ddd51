"use client";
// A table of domains to tick: the domain picker's discovered hosts and the re-attach dialog's earlier domains.
// Each row's label is the whole domain cell, so a click anywhere on the name ticks it.
import type { ReactNode } from "react";
import { SourceText } from "@/components/ui/source-text";

export type DomainChoice = {
  key: string;
  host: string;
  checked: boolean;
  /** Not choosable (already added, or not found): shown muted, its box disabled. */
  disabled: boolean;
  /** Badges and notes after the name. */
  after?: ReactNode;
  /** One cell per `figures` heading, right-aligned. */
  figures: readonly ReactNode[];
};

export function DomainChoiceTable({
  caption,
  busy,
  idPrefix,
  hostTestId,
  selectAll,
  figures,
  rows,
  onToggle,
}: {
  caption: string;
  busy?: boolean;
  /** Makes each row's checkbox id unique on the page. */
  idPrefix: string;
  hostTestId?: string;
  selectAll: { label: string; checked: boolean; disabled: boolean; onChange: () => void };
  figures: readonly string[];
  rows: readonly DomainChoice[];
  onToggle: (key: string) => void;
}) {
  return (
    <table className="w-full text-sm" aria-busy={busy}>
      <caption className="sr-only">{caption}</caption>
      <thead className="sticky top-0 bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
        <tr>
          <th scope="col" className="w-10 px-5 py-2">
            <input
              type="checkbox"
              aria-label={selectAll.label}
              className="size-4 accent-brand-600"
              checked={selectAll.checked}
              disabled={selectAll.disabled}
              onChange={selectAll.onChange}
            />
          </th>
          <th scope="col" className="px-3 py-2">
            Domain
          </th>
          {figures.map((heading, i) => (
            <th key={heading} scope="col" className={`${i === figures.length - 1 ? "px-5" : "px-3"} py-2 text-right`}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={row.key} className={row.disabled ? "bg-slate-50/70" : "hover:bg-slate-50"}>
            <td className="px-5 py-2">
              <input
                type="checkbox"
                id={`${idPrefix}-${row.key}`}
                className="size-4 accent-brand-600"
                checked={row.checked}
                disabled={row.disabled}
                onChange={() => onToggle(row.key)}
              />
            </td>
            <td className="px-3 py-2">
              <label htmlFor={`${idPrefix}-${row.key}`} className="flex flex-wrap items-center gap-2">
                <SourceText className="min-w-0 font-medium text-slate-900" data-testid={hostTestId}>
                  {row.host}
                </SourceText>
                {row.after}
              </label>
            </td>
            {row.figures.map((figure, i) => (
              <td key={figures[i]} className={`${i === row.figures.length - 1 ? "px-5" : "px-3"} py-2 text-right text-slate-700 tabular-nums`}>
                {figure}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
