// Deterministic seeded data: the same seed and sizes always give the same hosts, endpoints and posture gaps.
import { createRandom, hexId, pick, weighted, type Random } from "../simulator-kit/random";
import type { PostureGap, SaltEndpoint, SaltHost, Severity, Status } from "./conventions";

export interface SeedOptions {
  seed: number;
  hosts: number;
  endpointsPerHost: number;
  gapsPerEndpoint: number;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = { seed: 42, hosts: 12, endpointsPerHost: 25, gapsPerEndpoint: 2 };

/** Seeded data is dated relative to this instant so that it does not drift between runs. */
export const SEED_EPOCH = Date.parse("2026-11-01T00:00:00.000Z");
const DAY = 86_400_000;

interface Organisation {
  domain: string;
  app: string;
  team: string;
}

const ORGANISATIONS: readonly Organisation[] = [
  { domain: "acme-payments.com", app: "checkout", team: "payments" },
  { domain: "globex-logistics.io", app: "shipping", team: "logistics" },
  { domain: "initech-hr.com", app: "payroll", team: "people" },
  { domain: "umbrella-health.net", app: "patient-portal", team: "clinical" },
  { domain: "stark-energy.com", app: "metering", team: "grid" },
  { domain: "wayne-fintech.com", app: "lending", team: "credit" },
  { domain: "hooli-cloud.io", app: "storage", team: "platform" },
  { domain: "cyberdyne-robotics.com", app: "fleet", team: "robotics" },
  { domain: "soylent-foods.com", app: "orders", team: "commerce" },
  { domain: "tyrell-retail.com", app: "catalog", team: "merchandising" },
  { domain: "oscorp-insurance.com", app: "claims", team: "claims" },
  { domain: "wonka-travel.com", app: "bookings", team: "travel" },
];

const HOST_PREFIXES = ["api", "partners-api", "mobile-api", "gateway", "admin-api", "internal-api", "graphql", "auth"];
const ENVIRONMENTS = [
  { prefix: "", env: "prod" },
  { prefix: "staging.", env: "staging" },
  { prefix: "eu.", env: "prod" },
] as const;

const RESOURCES = [
  "users",
  "orders",
  "payments",
  "invoices",
  "accounts",
  "cards",
  "shipments",
  "products",
  "carts",
  "sessions",
  "tokens",
  "webhooks",
  "reports",
  "customers",
  "refunds",
  "subscriptions",
  "documents",
  "claims",
];
const SUB_RESOURCES = ["orders", "items", "history", "addresses", "attachments", "permissions", "notes", "events"];
const METHODS = [
  ["GET", 50],
  ["POST", 20],
  ["PUT", 10],
  ["PATCH", 8],
  ["DELETE", 12],
] as const;

interface CategoryTemplate {
  category: string;
  cweId: string;
  names: readonly string[];
  baseSeverity: Severity;
}

const CATEGORIES: readonly CategoryTemplate[] = [
  {
    category: "BOLA",
    cweId: "CWE-639",
    names: ["Object IDs can be enumerated across tenants", "Broken object level authorization on path parameter"],
    baseSeverity: "High",
  },
  {
    category: "Injection",
    cweId: "CWE-89",
    names: ["SQL injection attempt succeeded on query parameter", "Unsanitised input reaches a database query"],
    baseSeverity: "Critical",
  },
  {
    category: "Broken authentication",
    cweId: "CWE-287",
    names: ["Endpoint accepts requests without authentication", "JWT signature not verified"],
    baseSeverity: "Critical",
  },
  {
    category: "CORS misconfiguration",
    cweId: "CWE-942",
    names: ["CORS allows any origin with credentials", "Wildcard Access-Control-Allow-Origin"],
    baseSeverity: "Medium",
  },
  {
    category: "SSRF",
    cweId: "CWE-918",
    names: ["URL parameter is fetched server-side", "Webhook URL can target internal addresses"],
    baseSeverity: "High",
  },
  {
    category: "Excessive data exposure",
    cweId: "CWE-213",
    names: ["Response exposes PII fields", "Response returns more fields than the client uses"],
    baseSeverity: "Medium",
  },
  {
    category: "Shadow API",
    cweId: "CWE-1059",
    names: ["Undocumented endpoint receives production traffic", "Endpoint missing from the API specification"],
    baseSeverity: "Low",
  },
  {
    category: "Mass assignment",
    cweId: "CWE-915",
    names: ["Request body can set read-only properties"],
    baseSeverity: "High",
  },
  {
    category: "Lack of rate limiting",
    cweId: "CWE-770",
    names: ["No rate limit on authentication attempts", "Unbounded page size accepted"],
    baseSeverity: "Medium",
  },
  {
    category: "Sensitive data in URL",
    cweId: "CWE-598",
    names: ["Access token sent in query string"],
    baseSeverity: "Medium",
  },
  {
    category: "Security misconfiguration",
    cweId: "CWE-16",
    names: ["Verbose error messages leak stack traces", "Debug endpoint enabled"],
    baseSeverity: "Low",
  },
  {
    category: "Weak TLS",
    cweId: "CWE-326",
    names: ["TLS 1.0 accepted"],
    baseSeverity: "Info",
  },
];

const STATUS_WEIGHTS: readonly (readonly [Status, number])[] = [
  ["Open", 55],
  ["Inprocess", 15],
  ["Resolved", 20],
  ["Ignored", 10],
];

const SEVERITY_ORDER: readonly Severity[] = ["Info", "Low", "Medium", "High", "Critical"];

function isoDaysBefore(epoch: number, days: number): string {
  return new Date(epoch - Math.floor(days * DAY)).toISOString();
}

function hostNames(random: Random, count: number): { name: string; org: Organisation; env: string }[] {
  const combos: { name: string; org: Organisation; env: string }[] = [];
  for (const environment of ENVIRONMENTS) {
    for (const prefix of HOST_PREFIXES) {
      for (const org of ORGANISATIONS) {
        combos.push({ name: `${environment.prefix}${prefix}.${org.domain}`, org, env: environment.env });
      }
    }
  }
  // Keep the first organisation's production host first (api.acme-payments.com) for demos; shuffle the rest.
  const [first, ...rest] = combos;
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = rest[i];
    const b = rest[j];
    if (a && b) {
      rest[i] = b;
      rest[j] = a;
    }
  }
  const ordered = first ? [first, ...rest] : rest;
  const out: { name: string; org: Organisation; env: string }[] = [];
  for (let i = 0; i < count; i++) {
    const base = ordered[i % ordered.length];
    if (!base) break;
    const round = Math.floor(i / ordered.length);
    out.push(round === 0 ? base : { ...base, name: base.name.replace(/^([^.]+)/, `$1-${round + 1}`) });
  }
  return out;
}

function endpointShapes(random: Random, count: number): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  let guard = 0;
  while (out.length < count && guard < count * 50) {
    guard++;
    const version = pick(random, ["v1", "v2", "v2", "v3"]);
    const resource = pick(random, RESOURCES);
    const shape = Math.floor(random() * 5);
    const path =
      shape === 0
        ? `/${version}/${resource}`
        : shape === 1
          ? `/${version}/${resource}/{id}`
          : shape === 2
            ? `/${version}/${resource}/{id}/${pick(random, SUB_RESOURCES)}`
            : shape === 3
              ? `/${version}/${resource}/{id}/${pick(random, SUB_RESOURCES)}/{${pick(random, ["itemId", "eventId", "noteId"])}}`
              : `/internal/${resource}/${pick(random, ["export", "sync", "bulk", "search"])}`;
    const method = weighted(random, METHODS);
    const key = `${method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method, path });
  }
  // A very large endpointsPerHost can exhaust realistic shapes: fall back to numbered paths.
  for (let i = 0; out.length < count; i++) out.push({ method: "GET", path: `/v1/generated/${i}/{id}` });
  return out;
}

export interface SeededData {
  hosts: SaltHost[];
  endpoints: SaltEndpoint[];
  postureGaps: PostureGap[];
}

export function generateSeedData(options: SeedOptions): SeededData {
  const random = createRandom(options.seed);
  const hosts: SaltHost[] = [];
  const endpoints: SaltEndpoint[] = [];
  const postureGaps: PostureGap[] = [];

  for (const { name, org, env } of hostNames(random, options.hosts)) {
    const hostFirstSeen = 200 + random() * 300;
    const hostLabels = [`app:${org.app}`, `env:${env}`, `team:${org.team}`];
    hosts.push({
      hostId: hexId(random),
      host: name,
      labels: hostLabels,
      endpointCount: options.endpointsPerHost,
      firstSeen: isoDaysBefore(SEED_EPOCH, hostFirstSeen),
      lastSeen: isoDaysBefore(SEED_EPOCH, random() * 2),
    });

    for (const { method, path } of endpointShapes(random, options.endpointsPerHost)) {
      const endpointLabels = [...hostLabels];
      if (/users|customers|accounts|claims|documents/.test(path)) endpointLabels.push("data:pii");
      if (/payments|cards|refunds|invoices/.test(path)) endpointLabels.push("data:pci");
      if (path.startsWith("/internal/")) endpointLabels.push("exposure:internal");
      const endpointFirstSeen = random() * hostFirstSeen;
      endpoints.push({
        endpointId: hexId(random),
        host: name,
        method,
        endpointPath: path,
        labels: endpointLabels,
        firstSeen: isoDaysBefore(SEED_EPOCH, endpointFirstSeen),
        lastSeen: isoDaysBefore(SEED_EPOCH, random() * 3),
      });

      for (let g = 0; g < options.gapsPerEndpoint; g++) {
        const template = pick(random, CATEGORIES);
        const categories = [template.category];
        if (random() < 0.2) {
          const extra = pick(random, CATEGORIES).category;
          if (extra !== template.category) categories.push(extra);
        }
        const baseIndex = SEVERITY_ORDER.indexOf(template.baseSeverity);
        const shift = random() < 0.6 ? 0 : random() < 0.5 ? -1 : 1;
        const severity =
          SEVERITY_ORDER[Math.min(SEVERITY_ORDER.length - 1, Math.max(0, baseIndex + shift))] ?? template.baseSeverity;
        const status = weighted(random, STATUS_WEIGHTS);
        const detectedDaysAgo = random() * endpointFirstSeen;
        const postureGapId = hexId(random);
        const ticketNumber = 100 + Math.floor(random() * 9000);
        const tickets =
          status === "Inprocess" || (status === "Resolved" && random() < 0.5)
            ? [
                {
                  ticketId: `${org.team.toUpperCase().slice(0, 4)}-${ticketNumber}`,
                  system: "Jira",
                  url: `https://jira.example.com/browse/${org.team.toUpperCase().slice(0, 4)}-${ticketNumber}`,
                },
              ]
            : [];
        postureGaps.push({
          postureGapId,
          postureGapName: pick(random, template.names),
          severity,
          status,
          categories,
          host: name,
          method,
          endpointPath: path,
          tickets,
          detected: isoDaysBefore(SEED_EPOCH, detectedDaysAgo),
          lastActivity: isoDaysBefore(SEED_EPOCH, random() * detectedDaysAgo),
          endpointLabels: [...endpointLabels],
          cweId: template.category === "Shadow API" && random() < 0.5 ? null : template.cweId,
        });
      }
    }
  }
  return { hosts, endpoints, postureGaps };
}
