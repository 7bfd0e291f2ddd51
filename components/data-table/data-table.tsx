"use client";
// The lists' table: TanStack Table in manual mode (the server sorts and pages), sort state from the URL,
// rows that are links (the first cell holds the real <a>; the whole row is clickable for the mouse).
// Narrow screens: columns marked `secondary` show from xl up; below md each row is a card (the title cell on its
// own line, the other cells after it with their column's name), the header row kept for screen readers only.
import { type ColumnDef, flexRender, getCoreRowModel, type RowData, useReactTable } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { useRouter } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import type { SortDirection } from "@/lib/list-options";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the generics must match TanStack's declaration
  interface ColumnMeta<TData extends RowData, TValue> {
    /** The server's sort key for this column; sortable when set. */
    sortKey?: string;
    /** Classes for the header and cells (width, alignment). */
    className?: string;
    /** The sort a first click applies (numbers start high-to-low). */
    firstDir?: SortDirection;
    /** The row's name (issue title, domain, endpoint): on a phone's card it gets the first line to itself. */
    title?: boolean;
    /** Nice to have (source, category, last synced): hidden below xl, where the title needs the room. */
    secondary?: boolean;
  }
}

export type SortState = { sort: string; dir: SortDirection };

export function DataTable<Row>({
  label,
  columns,
  rows,
  rowHref,
  sort,
  onSortChange,
  isFetching = false,
  empty,
}: {
  /** The table's accessible name. */
  label: string;
  columns: ColumnDef<Row, unknown>[];
  rows: Row[];
  rowHref: (row: Row) => string;
  sort: SortState;
  onSortChange: (next: SortState) => void;
  isFetching?: boolean;
  empty: React.ReactNode;
}) {
  const router = useRouter();
  // TanStack Table's instance is not memoisable; the React Compiler skipping this component is expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), manualSorting: true, manualPagination: true });

  return (
    // relative: absolutely positioned sr-only parts (the phone's header row) stay inside the scroller.
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table
        className={cn("w-full table-fixed border-collapse text-sm transition-opacity max-md:block", isFetching && "opacity-60")}
        aria-busy={isFetching}
      >
        <caption className="sr-only">{label}</caption>
        <thead className="bg-slate-50 max-md:sr-only">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="border-b border-slate-200">
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                const sortKey = meta?.sortKey;
                const active = sortKey !== undefined && sort.sort === sortKey;
                const title = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                    className={cn(
                      "h-10 px-3 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase",
                      meta?.className,
                      meta?.secondary && "hidden xl:table-cell",
                    )}
                  >
                    {sortKey ? (
                      <button
                        type="button"
                        className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 uppercase hover:text-slate-900"
                        onClick={() =>
                          onSortChange({
                            sort: sortKey,
                            dir: active ? (sort.dir === "asc" ? "desc" : "asc") : (meta?.firstDir ?? "desc"),
                          })
                        }
                      >
                        {title}
                        {active ? (
                          sort.dir === "asc" ? <ArrowUp className="size-3.5" aria-hidden /> : <ArrowDown className="size-3.5" aria-hidden />
                        ) : (
                          <ArrowUpDown className="size-3.5 text-slate-400" aria-hidden />
                        )}
                      </button>
                    ) : (
                      title
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="max-md:block">
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              className="h-12 cursor-pointer border-b border-slate-100 last:border-0 hover:bg-slate-50 focus-within:bg-slate-50 max-md:flex max-md:h-auto max-md:flex-wrap max-md:items-center max-md:gap-x-4 max-md:gap-y-1.5 max-md:px-3 max-md:py-3"
              onClick={(event) => {
                // Clicks on links and buttons inside the row do their own thing.
                if ((event.target as HTMLElement).closest("a,button,select,input,label")) return;
                router.push(rowHref(row.original));
              }}
            >
              {row.getVisibleCells().map((cell) => {
                const meta = cell.column.columnDef.meta;
                const header = cell.column.columnDef.header;
                return (
                  <td
                    key={cell.id}
                    data-label={typeof header === "string" ? header : undefined}
                    className={cn(
                      "px-3 py-2 align-middle text-slate-700",
                      meta?.className,
                      meta?.secondary
                        ? "hidden xl:table-cell"
                        : meta?.title
                          ? "max-md:order-first max-md:block max-md:w-full max-md:p-0"
                          : "max-md:flex max-md:w-auto max-md:items-center max-md:gap-1.5 max-md:p-0 max-md:text-left max-md:before:text-xs max-md:before:text-slate-500 max-md:before:content-[attr(data-label)]",
                    )}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <div className="border-t border-slate-100 p-4">{empty}</div> : null}
    </div>
  );
}

export function TableSkeleton({ rows = 10, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm" aria-hidden>
      <div className="flex h-10 items-center gap-6 border-b border-slate-200 bg-slate-50 px-4">
        {Array.from({ length: columns }, (_, i) => (
          <Skeleton key={i} className={cn("h-3", i === 0 ? "w-48" : "w-20")} />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex h-12 items-center gap-6 border-b border-slate-100 px-4 last:border-0">
          {Array.from({ length: columns }, (_, i) => (
            <Skeleton key={i} className={cn("h-4", i === 0 ? "w-64" : "w-16")} />
          ))}
        </div>
      ))}
    </div>
  );
}
