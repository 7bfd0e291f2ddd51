"use client";
// Every time shown in the app. The server renders it with its clock and time zone, the browser hydrates it with
// its own, and "3 min ago" or "Nov 27, 11:04 AM" can differ between the two: React would report error #418. The
// <time> element accepts that one mismatch, and is rebuilt once hydrated so the browser's text is what stays.
import { useSyncExternalStore } from "react";
import { formatAge, formatAgo, formatDate, formatDateTime } from "@/lib/format";

const formats = {
  /** "3 min ago", with the exact time in the tooltip. */
  ago: { text: formatAgo, title: formatDateTime },
  /** "Nov 27, 2026, 11:04 AM", with how long ago in the tooltip. */
  dateTime: { text: formatDateTime, title: formatAgo },
  /** "Nov 27, 2026". */
  date: { text: formatDate, title: formatDateTime },
  /** An issue's age: "today", "45 days". */
  age: { text: formatAge, title: formatDateTime },
} as const;

const subscribeToNothing = () => () => {};

/** False on the server and while hydrating, true afterwards (and on every render not hydrated from the server). */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

export function Time({ date, format = "ago", className }: { date: Date | null | undefined; format?: keyof typeof formats; className?: string }) {
  const hydrated = useHydrated();
  const { text, title } = formats[format];
  if (!date) return <span className={className}>{text(null)}</span>;
  return (
    <time
      key={hydrated ? "browser" : "server"}
      dateTime={date.toISOString()}
      title={title(date)}
      className={className}
      suppressHydrationWarning
    >
      {text(date)}
    </time>
  );
}
