// A realistic Salt-shaped inventory for tests, end-to-end runs and the list benchmark: FQDNs with labels
// (→ applications and tags), API endpoints under them, posture-gap issues with Salt's categories, CWE ids,
// severities and statuses, and the figures (open counts, risk scores with their inputs) the sync engine keeps.
// Deterministic for a given seed; inserts in multi-row batches so 100,000 assets take seconds, not minutes.
import { applicationsFromLabels, DEFAULT_APPLICATION_LABEL_PREFIX } from "@/lib/application-labels";
import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import {
  applications,
  assetApplications,
  assets,
  assetTags,
  type BusinessImpact,
  issues,
  type IssueStatus,
  openIssueStatuses,
  type Severity,
  statusHistory,
} from "@/db/schema";
import { computeRisk, emptySeverityCounts } from "@/server/risk";

const BATCH = 1000;

/** mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const weighted = <T,>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1]![0];
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, pick, weighted, int };
}

const subdomains = [
  "api", "payments-api", "auth", "checkout", "partners", "mobile-api", "billing", "ledger", "cards", "merchant",
  "gateway", "accounts", "kyc", "fraud", "notifications", "reports", "webhooks", "search", "catalog", "onboarding",
] as const;
const baseDomains = [
  "acme-payments.com", "acmepay.io", "acme-bank.net", "acme-cards.com", "acme-eu.com",
  "acme-sandbox.dev", "acme-internal.net", "acmepay.co.uk", "acme-labs.io", "acme-merchant.com",
] as const;
// Salt labels as teams write them: the application under "app:", the rest (environment, data class, exposure) tags.
const applicationLabels = ["app:payments", "app:checkout", "app:core-banking", "app:mobile", "app:partner-portal"] as const;
const domainLabels = ["env:prod", "env:staging", "data:pci", "data:gdpr", "exposure:public", "exposure:partner", "exposure:internal"] as const;
const apiLabels = ["pii", "auth", "financial", "deprecated", "external"] as const;
const resources = [
  "users", "orders", "payments", "invoices", "accounts", "cards", "transactions", "refunds", "customers", "merchants",
  "payouts", "subscriptions", "webhooks", "sessions", "tokens", "disputes", "balances", "transfers", "documents", "devices",
] as const;
const subResources = ["orders", "items", "history", "limits", "settings", "events", "attachments", "statements", "members", "keys"] as const;
const methodWeights = [["GET", 50], ["POST", 20], ["PUT", 10], ["PATCH", 8], ["DELETE", 10], ["OPTIONS", 2]] as const;

/** Salt posture gap kinds: name, categories (the first is the issue's category), CWE and likely severities. */
const postureGaps: { title: string; categories: string[]; cwe: string; severities: readonly (readonly [Severity, number])[] }[] = [
  { title: "Broken Object Level Authorization (BOLA)", categories: ["BOLA", "OWASP API1:2023"], cwe: "CWE-639", severities: [["critical", 3], ["high", 5]] },
  { title: "Broken Function Level Authorization", categories: ["BFLA", "OWASP API5:2023"], cwe: "CWE-285", severities: [["high", 5], ["medium", 2]] },
  { title: "SQL injection in query parameter", categories: ["Injection"], cwe: "CWE-89", severities: [["critical", 4], ["high", 2]] },
  { title: "Excessive data exposure in response", categories: ["Data Exposure", "OWASP API3:2023"], cwe: "CWE-213", severities: [["medium", 5], ["high", 2]] },
  { title: "PII returned without masking", categories: ["Data Exposure"], cwe: "CWE-359", severities: [["medium", 4], ["high", 2]] },
  { title: "Missing rate limiting", categories: ["Unrestricted Resource Consumption", "OWASP API4:2023"], cwe: "CWE-770", severities: [["medium", 5], ["low", 3]] },
  { title: "JWT accepted without expiry", categories: ["Broken Authentication", "OWASP API2:2023"], cwe: "CWE-613", severities: [["high", 4], ["medium", 2]] },
  { title: "Endpoint reachable without authentication", categories: ["Broken Authentication"], cwe: "CWE-306", severities: [["critical", 2], ["high", 4]] },
  { title: "Mass assignment of object properties", categories: ["Mass Assignment", "OWASP API3:2023"], cwe: "CWE-915", severities: [["medium", 4], ["high", 1]] },
  { title: "Sensitive data in URL query string", categories: ["Data Exposure"], cwe: "CWE-598", severities: [["low", 4], ["medium", 2]] },
  { title: "Verbose error messages reveal internals", categories: ["Security Misconfiguration", "OWASP API8:2023"], cwe: "CWE-209", severities: [["low", 5], ["notification", 2]] },
  { title: "Server-side request forgery via callback URL", categories: ["SSRF", "OWASP API7:2023"], cwe: "CWE-918", severities: [["high", 4], ["critical", 1]] },
  { title: "Shadow API: undocumented endpoint", categories: ["Improper Inventory Management", "OWASP API9:2023"], cwe: "CWE-1059", severities: [["notification", 4], ["low", 2]] },
  { title: "Weak TLS configuration", categories: ["Security Misconfiguration"], cwe: "CWE-326", severities: [["medium", 3], ["low", 2]] },
];
const statusWeights = [["identified", 55], ["in_progress", 15], ["fixed", 20], ["risk_accepted", 7], ["false_positive", 3]] as const;
const saltStatusOf: Record<IssueStatus, string | null> = {
  identified: "Open",
  in_progress: "Inprocess",
  fixed: "Resolved",
  risk_accepted: "Ignored",
  false_positive: null,
};

export type SeedInventoryOptions = {
  companyId: string;
  fqdns: number;
  /** Average API endpoints per FQDN (each domain gets between half and one and a half times this). */
  apisPerFqdn: number;
  /** Average issues per API endpoint (each gets between 0 and twice this). */
  issuesPerApi: number;
  seed?: number;
  /** Write a status history row for issues that are no longer Identified (default true). */
  withHistory?: boolean;
  /** Also write each issue's first history row (none → Identified when it was detected), as a sync does (default false). */
  withCreationHistory?: boolean;
};

export type SeededInventory = { domainIds: string[]; apiCount: number; issueCount: number };

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

function domainName(i: number): string {
  const sub = subdomains[i % subdomains.length]!;
  const base = baseDomains[Math.floor(i / subdomains.length) % baseDomains.length]!;
  const round = Math.floor(i / (subdomains.length * baseDomains.length));
  return round === 0 ? `${sub}.${base}` : `${sub}-${round + 1}.${base}`;
}

function endpoints(rand: ReturnType<typeof prng>, count: number): { method: string; path: string }[] {
  const seen = new Set<string>();
  const found: { method: string; path: string }[] = [];
  for (let attempts = 0; found.length < count && attempts < count * 50; attempts++) {
    const version = rand.pick(["v1", "v2", "v2", "v3"]);
    const resource = rand.pick(resources);
    const shape = rand.int(0, 3);
    const idName = `${resource.replace(/s$/, "")}Id`;
    const sub = rand.pick(subResources);
    const path =
      shape === 0
        ? `/${version}/${resource}`
        : shape === 1
          ? `/${version}/${resource}/{${idName}}`
          : shape === 2
            ? `/${version}/${resource}/{${idName}}/${sub}`
            : `/${version}/${resource}/{${idName}}/${sub}/{id}`;
    const method = rand.weighted(methodWeights);
    const key = `${method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ method, path });
  }
  return found;
}

export async function seedInventory(db: Queryable, options: SeedInventoryOptions): Promise<SeededInventory> {
  const { companyId, withHistory = true } = options;
  const seed = options.seed ?? 1;
  const rand = prng(seed);
  const now = Date.now();
  const day = 86_400_000;

  type AssetRow = typeof assets.$inferInsert;
  type IssueRow = typeof issues.$inferInsert;
  const domainRows: AssetRow[] = [];
  const apiRows: AssetRow[] = [];
  const issueRows: IssueRow[] = [];
  const historyRows: (typeof statusHistory.$inferInsert)[] = [];
  const tagRows: (typeof assetTags.$inferInsert)[] = [];
  const domainLabelsById = new Map<string, string[]>();
  const domainIds: string[] = [];
  let apiTotal = 0;
  let issueTotal = 0;

  // Rows are buffered and written in FK order (domains, APIs, issues, history, tags) whenever the buffer is big,
  // so memory stays flat at the benchmark's scale.
  async function flush() {
    await insertInBatches(domainRows.splice(0), (batch) => db.insert(assets).values(batch));
    await insertInBatches(apiRows.splice(0), (batch) => db.insert(assets).values(batch));
    await insertInBatches(issueRows.splice(0), (batch) => db.insert(issues).values(batch));
    await insertInBatches(historyRows.splice(0), (batch) => db.insert(statusHistory).values(batch));
    await insertInBatches(tagRows.splice(0), (batch) => db.insert(assetTags).values(batch).onConflictDoNothing());
  }

  for (let d = 0; d < options.fqdns; d++) {
    const domainId = randomUUID();
    const name = domainName(d);
    const businessImpact = rand.weighted<BusinessImpact>([["low", 2], ["medium", 5], ["high", 3]]);
    const labels = [...new Set([rand.pick(applicationLabels), ...(rand.next() < 0.6 ? [rand.pick(domainLabels)] : [])])].sort();
    const lastSyncedAt = new Date(now - rand.int(5, 48 * 60) * 60_000);
    const domainCounts = emptySeverityCounts();
    let domainOpen = 0;

    const apiCount = Math.max(1, Math.round(options.apisPerFqdn * (0.5 + rand.next())));
    for (const endpoint of endpoints(rand, apiCount)) {
      const apiId = randomUUID();
      const counts = emptySeverityCounts();
      let open = 0;
      const issueCount = options.issuesPerApi <= 0 ? 0 : rand.int(0, Math.round(options.issuesPerApi * 2));
      for (let k = 0; k < issueCount; k++) {
        const gap = rand.pick(postureGaps);
        const severity = rand.weighted(gap.severities);
        const status = rand.weighted(statusWeights);
        const detectedAt = new Date(now - rand.int(1, 365) * day - rand.int(0, day));
        const lastActivityAt = new Date(detectedAt.getTime() + rand.next() * (now - detectedAt.getTime()));
        const id = randomUUID();
        issueTotal++;
        issueRows.push({
          id,
          companyId,
          assetId: apiId,
          domainAssetId: domainId,
          source: "salt_security",
          externalId: `pg-${seed.toString(16)}-${issueTotal.toString(16).padStart(7, "0")}`,
          title: gap.title,
          severity,
          status,
          category: gap.categories[0] ?? null,
          categories: gap.categories,
          cwe: gap.cwe,
          externalStatus: saltStatusOf[status],
          details: { tickets: [], endpointLabels: [] },
          detectedAt,
          lastActivityAt,
          statusChangedAt: lastActivityAt,
          statusOrigin: "sync",
          createdAt: detectedAt,
        });
        if (options.withCreationHistory) {
          historyRows.push({ companyId, issueId: id, fromStatus: null, toStatus: "identified", origin: "sync", createdAt: detectedAt });
        }
        if (withHistory && status !== "identified") {
          historyRows.push({ companyId, issueId: id, fromStatus: "identified", toStatus: status, origin: "sync", createdAt: lastActivityAt });
        }
        if ((openIssueStatuses as readonly IssueStatus[]).includes(status)) {
          counts[severity]++;
          domainCounts[severity]++;
          open++;
        }
      }
      domainOpen += open;
      const risk = computeRisk(counts, businessImpact);
      const endpointLabels = [...new Set([...(rand.next() < 0.5 ? [labels[0]!] : []), ...(rand.next() < 0.3 ? [rand.pick(apiLabels)] : [])])].sort();
      apiTotal++;
      apiRows.push({
        id: apiId,
        companyId,
        assetType: "api",
        name: `${endpoint.method} ${endpoint.path}`,
        parentId: domainId,
        source: "salt_security",
        externalRef: `${name} ${endpoint.method} ${endpoint.path}`,
        method: endpoint.method,
        path: endpoint.path,
        labels: endpointLabels,
        businessImpact,
        riskScore: risk.score,
        riskInputs: risk.inputs,
        openIssueCount: open,
        lastSyncedAt,
      });
      for (const tag of endpointLabels) tagRows.push({ assetId: apiId, companyId, tag });
    }

    const risk = computeRisk(domainCounts, businessImpact);
    domainRows.push({
      id: domainId,
      companyId,
      assetType: "domain",
      name,
      source: "salt_security",
      externalRef: name,
      labels,
      businessImpact,
      riskScore: risk.score,
      riskInputs: risk.inputs,
      openIssueCount: domainOpen,
      lastSyncedAt,
    });
    domainLabelsById.set(domainId, labels);
    domainIds.push(domainId);
    for (const tag of labels) tagRows.push({ assetId: domainId, companyId, tag });
    if (issueRows.length >= 10 * BATCH) await flush();
  }

  await flush();

  // The applications the domains' labels name, linked to the domains carrying them (as the sync engine does).
  const applicationNames = applicationsFromLabels([...domainLabelsById.values()].flat(), DEFAULT_APPLICATION_LABEL_PREFIX);
  if (applicationNames.length) {
    await db.insert(applications).values(applicationNames.map((name) => ({ companyId, name }))).onConflictDoNothing();
    const applicationRows = await db
      .select({ id: applications.id, name: applications.name })
      .from(applications)
      .where(and(eq(applications.companyId, companyId), inArray(applications.name, applicationNames)));
    const idByName = new Map(applicationRows.map((a) => [a.name, a.id]));
    const links = [...domainLabelsById].flatMap(([assetId, labels]) =>
      applicationsFromLabels(labels, DEFAULT_APPLICATION_LABEL_PREFIX).map((name) => ({ assetId, applicationId: idByName.get(name)!, companyId })),
    );
    await insertInBatches(links, (batch) => db.insert(assetApplications).values(batch).onConflictDoNothing());
  }

  return { domainIds, apiCount: apiTotal, issueCount: issueTotal };
}
