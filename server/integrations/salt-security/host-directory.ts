// The domain picker's view of Salt's hosts. The host list is read once per integration and key and kept for a
// minute, then searched and paged here, so 5,000 hosts cost one read of Salt and a filter per keystroke. Open
// posture gaps are counted only for the hosts on the page being shown.
import type { SaltClient } from "./client";
import type { SaltStatus } from "./schemas";

export type SaltHostSummary = { host: string; labels: string[]; endpointCount: number };
export type SaltHostRow = SaltHostSummary & { openPostureGapCount: number | null };

const HOST_LIST_TTL_MS = 60_000;
const GAP_COUNT_TTL_MS = 60_000;
const MAX_CACHED_LISTS = 50;
const GAP_COUNT_CONCURRENCY = 6;
/** Salt statuses that are still open work. */
const OPEN_SALT_STATUSES: ReadonlySet<SaltStatus> = new Set(["Open", "Inprocess"]);

type Cache = {
  lists: Map<string, { at: number; hosts: Promise<SaltHostSummary[]> }>;
  gapCounts: Map<string, { at: number; count: number }>;
};
// On globalThis: route handlers and server components are separate bundles.
const globalForHosts = globalThis as unknown as { __posturaSaltHosts?: Cache };
function cache(): Cache {
  globalForHosts.__posturaSaltHosts ??= { lists: new Map(), gapCounts: new Map() };
  return globalForHosts.__posturaSaltHosts;
}

/** Forgets cached hosts for a key (after the key or region changes). */
export function forgetSaltHosts(cacheKey: string): void {
  cache().lists.delete(cacheKey);
}

async function readAllHosts(client: SaltClient): Promise<SaltHostSummary[]> {
  const hosts: SaltHostSummary[] = [];
  for await (const page of client.listHosts()) {
    for (const h of page) hosts.push({ host: h.host, labels: h.labels, endpointCount: h.endpointCount });
  }
  return hosts.sort((a, b) => a.host.localeCompare(b.host));
}

/** Every host Salt has discovered, sorted by name; cached under `cacheKey` for a minute. */
export async function allSaltHosts(client: SaltClient, cacheKey: string): Promise<SaltHostSummary[]> {
  const { lists } = cache();
  const hit = lists.get(cacheKey);
  if (hit && Date.now() - hit.at < HOST_LIST_TTL_MS) return hit.hosts;
  const hosts = readAllHosts(client);
  lists.set(cacheKey, { at: Date.now(), hosts });
  // A failed read is not cached: the next request tries Salt again.
  hosts.catch(() => lists.delete(cacheKey));
  while (lists.size > MAX_CACHED_LISTS) {
    const oldest = lists.keys().next().value;
    if (oldest === undefined) break;
    lists.delete(oldest);
  }
  return hosts;
}

async function openGapCount(client: SaltClient, cacheKey: string, host: string): Promise<number | null> {
  const { gapCounts } = cache();
  const key = `${cacheKey}\u0000${host}`;
  const hit = gapCounts.get(key);
  if (hit && Date.now() - hit.at < GAP_COUNT_TTL_MS) return hit.count;
  try {
    let count = 0;
    for await (const page of client.listPostureGaps({ host })) {
      for (const gap of page) if (OPEN_SALT_STATUSES.has(gap.status)) count++;
    }
    gapCounts.set(key, { at: Date.now(), count });
    if (gapCounts.size > 20_000) gapCounts.clear();
    return count;
  } catch {
    // A count is a hint for choosing domains; the list stays usable without it.
    return null;
  }
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** One page of hosts whose name or labels contain `q` (case-insensitive), with open posture gap counts. */
export async function browseSaltHosts(
  client: SaltClient,
  { cacheKey, q, page, pageSize }: { cacheKey: string; q: string; page: number; pageSize: number },
): Promise<{ hosts: SaltHostRow[]; total: number; page: number; pageCount: number }> {
  const all = await allSaltHosts(client, cacheKey);
  const needle = q.trim().toLowerCase();
  const matching = needle
    ? all.filter((h) => h.host.toLowerCase().includes(needle) || h.labels.some((l) => l.toLowerCase().includes(needle)))
    : all;
  const pageCount = Math.max(1, Math.ceil(matching.length / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const slice = matching.slice((current - 1) * pageSize, current * pageSize);
  const counts = await mapLimited(slice, GAP_COUNT_CONCURRENCY, (h) => openGapCount(client, cacheKey, h.host));
  return {
    hosts: slice.map((h, i) => ({ ...h, openPostureGapCount: counts[i] ?? null })),
    total: matching.length,
    page: current,
    pageCount,
  };
}
