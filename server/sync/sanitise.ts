// Text from a scanner is hostile until cleaned. Every endpoint and finding passes through here before the ingest
// core writes it, whatever the source: control characters go (PostgreSQL refuses NUL outright), bidirectional
// overrides go (they make text read as something it is not), and each field is bounded. Fields that sit in a
// btree index are bounded well under PostgreSQL's index-row limit (~2.7 kB); where the full value matters it is
// kept in an unindexed column (an endpoint's path) or the key is replaced by a hash (an over-long endpoint key).
import { createHash } from "node:crypto";
import type { SkippedRecord } from "@/db/schema";
import type { SourceEndpoint, SourceFinding, SourceHost, SourceVulnerability } from "./types";

/** Bounds per field, in characters (a character is at most 4 bytes, so indexed ones stay under ~2.7 kB). */
export const TEXT_LIMITS = {
  /** Indexed (asset name search/sort). The full path stays in `path`. */
  name: 500,
  /** Unindexed; a 10 kB path is kept whole. */
  path: 16_384,
  /** Indexed as tags and application names. */
  label: 200,
  /** The first category is indexed (the category filter); the list keeps longer ones. */
  category: 200,
  categoryInList: 2_000,
  title: 2_000,
  /** Unique-indexed; a longer key is replaced by a prefix and a hash of the whole. */
  ref: 500,
  /** The source's own id, used to write status back: never shortened, so a longer one cannot be taken. */
  externalId: 256,
  method: 16,
  externalStatus: 100,
  cwe: 64,
  /** Stored run messages and reasons. */
  message: 2_000,
} as const;

// C0 controls except tab/newline handled per field, DEL, C1 controls, bidi embeddings/overrides/isolates, BOM.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI_AND_BOM = /[\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One line of text: control and bidi characters removed, whitespace runs kept as they are, bounded. */
export function cleanLine(value: string, max: number): string {
  return bound(value.toWellFormed().replace(CONTROL, "").replace(BIDI_AND_BOM, ""), max);
}

/** Free text (messages): newlines and tabs become spaces, then as cleanLine. */
export function cleanText(value: string, max: number = TEXT_LIMITS.message): string {
  return cleanLine(value.replace(/[\t\n\r]+/g, " "), max);
}

/** Cuts at `max` characters (never inside a surrogate pair) and marks the cut with an ellipsis. */
export function bound(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

/** A unique key bounded for its index: a readable prefix and a hash of the whole value. */
export function boundedKey(value: string, max: number = TEXT_LIMITS.ref): string {
  if (value.length <= max) return value;
  const hash = createHash("sha256").update(value).digest("hex");
  return `${value.slice(0, max - 80)} #sha256:${hash}`;
}

export function cleanLabels(labels: readonly string[]): string[] {
  const cleaned = labels.map((l) => cleanLine(l, TEXT_LIMITS.label).trim()).filter((l) => l !== "");
  return [...new Set(cleaned)].sort();
}

/** Dates PostgreSQL's timestamptz holds and a person would believe; anything else is unknown. */
function plausibleDate(value: Date | null): Date | null {
  if (value === null || Number.isNaN(value.getTime())) return null;
  const year = value.getUTCFullYear();
  return year >= 1970 && year <= 9999 ? value : null;
}

export type Cleaned<T> = { ok: true; value: T } | { ok: false; skipped: SkippedRecord };

export function cleanEndpoint(endpoint: SourceEndpoint): Cleaned<SourceEndpoint> {
  const path = cleanLine(endpoint.path, TEXT_LIMITS.path);
  const method = cleanLine(endpoint.method, TEXT_LIMITS.method).toUpperCase();
  const ref = cleanLine(endpoint.ref, Number.MAX_SAFE_INTEGER);
  if (ref === "" || method === "") {
    return { ok: false, skipped: { kind: "endpoint", id: cleanLine(endpoint.name, 200) || "(no name)", reason: "no method or key" } };
  }
  return {
    ok: true,
    value: {
      ref: boundedKey(ref),
      name: cleanLine(endpoint.name, TEXT_LIMITS.name),
      method,
      path,
      labels: cleanLabels(endpoint.labels),
    },
  };
}

export function cleanFinding(finding: SourceFinding): Cleaned<SourceFinding> {
  const externalId = cleanLine(finding.externalId, Number.MAX_SAFE_INTEGER);
  const named = cleanLine(finding.externalId, 80) || "(no id)";
  if (externalId === "" || externalId !== finding.externalId || externalId.length > TEXT_LIMITS.externalId) {
    // The id is how a status is written back; a changed or cut id would address some other record.
    return { ok: false, skipped: { kind: "finding", id: named, reason: "its id is empty, too long or holds control characters" } };
  }
  const endpoint = finding.endpoint === null ? null : cleanEndpoint(finding.endpoint);
  if (endpoint && !endpoint.ok) return { ok: false, skipped: { ...endpoint.skipped, kind: "finding", id: named } };
  const host = finding.host === undefined ? undefined : cleanHost(finding.host);
  if (endpoint === null && (host === undefined || host.ref === "")) {
    return { ok: false, skipped: { kind: "finding", id: named, reason: "it names neither an endpoint nor a host" } };
  }
  const categories = finding.categories.map((c) => cleanLine(c, TEXT_LIMITS.categoryInList).trim()).filter((c) => c !== "");
  return {
    ok: true,
    value: {
      ...finding,
      externalId,
      title: cleanLine(finding.title, TEXT_LIMITS.title),
      externalStatus: cleanLine(finding.externalStatus, TEXT_LIMITS.externalStatus),
      categories,
      cwe: finding.cwe === null ? null : cleanLine(finding.cwe, TEXT_LIMITS.cwe) || null,
      detectedAt: plausibleDate(finding.detectedAt),
      lastActivityAt: plausibleDate(finding.lastActivityAt),
      endpoint: endpoint === null ? null : endpoint.value,
      ...(host === undefined ? {} : { host }),
      ...(finding.vulnerability === undefined ? {} : { vulnerability: cleanVulnerability(finding.vulnerability) }),
      details: cleanJson(finding.details) as Record<string, unknown>,
    },
  };
}

function optionalLine(value: string | null, max: number): string | null {
  if (value === null) return null;
  return cleanLine(value, max).trim() || null;
}

export function cleanHost(host: SourceHost): SourceHost {
  const fqdn = optionalLine(host.fqdn, 253)?.toLowerCase().replace(/\.+$/, "") || null;
  return {
    ref: boundedKey(cleanLine(host.ref, Number.MAX_SAFE_INTEGER)),
    name: cleanLine(host.name, TEXT_LIMITS.name).trim() || cleanLine(host.ref, TEXT_LIMITS.name),
    hostname: optionalLine(host.hostname, 253),
    fqdn,
    ipv4: optionalLine(host.ipv4, 64),
    operatingSystem: optionalLine(host.operatingSystem, 300),
  };
}

/** Scores outside their scales (CVSS and VPR are 0–10) and ports outside 0–65535 are unknown. */
function cleanVulnerability(v: SourceVulnerability): SourceVulnerability {
  const score = (n: number | null) => (n !== null && Number.isFinite(n) && n >= 0 && n <= 10 ? n : null);
  return {
    cves: [...new Set(v.cves.map((c) => cleanLine(c, 64).trim()).filter((c) => c !== ""))].slice(0, 500),
    cvssScore: score(v.cvssScore),
    vprScore: score(v.vprScore),
    port: v.port !== null && Number.isInteger(v.port) && v.port >= 0 && v.port <= 65_535 ? v.port : null,
    protocol: optionalLine(v.protocol, 16)?.toLowerCase() ?? null,
    service: optionalLine(v.service, 100),
  };
}

/** The first category, as stored in the indexed `category` column. */
export function primaryCategory(categories: readonly string[]): string | null {
  const first = categories[0];
  return first === undefined ? null : bound(first, TEXT_LIMITS.category);
}

/** Strings anywhere in a JSON value cleaned (jsonb refuses \u0000 too); depth and size bounded. */
export function cleanJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cleanLine(value, TEXT_LIMITS.message);
  if (value === null || typeof value !== "object") return typeof value === "number" && !Number.isFinite(value) ? null : value;
  if (depth > 5) return null;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => cleanJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value).slice(0, 100)) out[cleanLine(key, 100)] = cleanJson(v, depth + 1);
  return out;
}
