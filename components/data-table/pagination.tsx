"use client";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { formatNumber } from "@/lib/format";
import { MAX_PAGE } from "@/lib/list-options";

/** "26–50 of 10,000+ APIs" with previous/next; the page number lives in the URL. */
export function Pagination({
  page,
  pageSize,
  total,
  totalCapped,
  noun,
  onPageChange,
}: {
  page: number;
  pageSize: number;
  total: number;
  totalCapped: boolean;
  noun: string;
  onPageChange: (page: number) => void;
}) {
  const lastPage = Math.min(MAX_PAGE, Math.max(1, Math.ceil(total / pageSize)));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label={`${noun} pages`} className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p aria-live="polite">
        {total === 0 ? (
          `No ${noun}`
        ) : (
          <>
            <span className="font-medium text-slate-900">
              {formatNumber(from)}–{formatNumber(to)}
            </span>{" "}
            of <span className="font-medium text-slate-900">{formatNumber(total)}{totalCapped ? "+" : ""}</span> {noun}
          </>
        )}
      </p>
      <div className="flex items-center gap-2">
        <span className="tabular-nums max-sm:sr-only">
          Page {page} of {formatNumber(lastPage)}
          {totalCapped ? "+" : ""}
        </span>
        <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => onPageChange(page - 1)} aria-label="Previous page">
          <ChevronLeft aria-hidden /> Previous
        </Button>
        <Button variant="secondary" size="sm" disabled={page >= lastPage} onClick={() => onPageChange(page + 1)} aria-label="Next page">
          Next <ChevronRight aria-hidden />
        </Button>
      </div>
    </nav>
  );
}
