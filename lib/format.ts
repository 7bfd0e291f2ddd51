// Display formatting shared by the asset and issue views.
const numberFormat = new Intl.NumberFormat("en-US");
export const formatNumber = (n: number) => numberFormat.format(n);

const dateFormat = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
export const formatDate = (d: Date | null | undefined) => (d ? dateFormat.format(d) : "—");
export const formatDateTime = (d: Date | null | undefined) => (d ? dateTimeFormat.format(d) : "—");

/** "3 min ago", "5 h ago", "12 days ago": coarse on purpose, the exact time sits in the title attribute. */
export function formatAgo(d: Date | null | undefined, now = Date.now()): string {
  if (!d) return "never";
  const minutes = Math.max(0, Math.round((now - d.getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 60) return `${days} day${days === 1 ? "" : "s"} ago`;
  const months = Math.round(days / 30);
  if (months < 24) return `${months} months ago`;
  return `${Math.round(months / 12)} years ago`;
}

/** An issue's age: "today", "1 day", "45 days". */
export function formatAge(d: Date | null | undefined, now = Date.now()): string {
  if (!d) return "—";
  const days = Math.floor((now - d.getTime()) / 86_400_000);
  return days <= 0 ? "today" : `${days} day${days === 1 ? "" : "s"}`;
}

/** "1 issue", "12 issues", "1,204 domains": the count formatted, the noun agreeing with it. */
export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`;
}
