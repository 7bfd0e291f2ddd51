// The Snapsec VM API contract, defined ONCE: paths, values, limits and zod schemas of every body. Snapsec publishes no
// REST reference, so everything here not marked "public" is Postura's own definition. The client (client.ts) and the
// simulator (tools/snapsec-vm-simulator/) both import this file, so a real workspace's answers replace it in one place.
// tools/snapsec-vm-simulator/contract.md lists each convention. Only zod is imported: the simulator runs it as is.
import { z } from "zod";

/** Public: the workspace key travels as `x-api-key`; `Authorization: Bearer <key>` is accepted too. */
export const API_KEY_HEADER = "x-api-key";

/** Ours: a POST that creates something carries this header; a replay with the same value returns the first answer. */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

/** Ours: paths, under the workspace's base URL (e.g. https://acme.vm.snapsec.example). */
export const VM_PATHS = {
  workspace: "/api/v1/workspace",
  assessments: "/api/v1/assessments",
  assessment: (assessmentId: string) => `/api/v1/assessments/${encodeURIComponent(assessmentId)}`,
  vulnerabilities: "/api/v1/vulnerabilities",
  bulkUpsert: "/api/v1/vulnerabilities/bulk",
  byExternalId: (externalId: string) => `/api/v1/vulnerabilities/external/${encodeURIComponent(externalId)}`,
  status: (externalId: string) => `/api/v1/vulnerabilities/external/${encodeURIComponent(externalId)}/status`,
} as const;

/** Public: severities Postura forwards (Info is Postura's "Notification"). */
export const VM_SEVERITIES = ["Critical", "High", "Medium", "Low", "Info"] as const;
/** Public: the threat lifecycle. A vulnerability's `status` takes these values. */
export const VM_THREAT_STATUSES = ["Pending", "Acknowledged", "In Progress", "Fixed", "Verified"] as const;
/** Public: how VM counts vulnerabilities in an assessment. Ours: the mapping from the lifecycle (VM_STATE_OF). */
export const VM_STATES = ["Open", "Resolved", "Retest"] as const;
/** Public: assessment stages. */
export const VM_ASSESSMENT_STAGES = ["New", "Testing Ongoing", "Remediation"] as const;
/** Ours: the confidence scale. */
export const VM_CONFIDENCES = ["High", "Medium", "Low"] as const;
/** Public: admins and managers create assessments; auditors cannot update vulnerabilities. */
export const VM_ROLES = ["admin", "manager", "auditor"] as const;

export type VmSeverity = (typeof VM_SEVERITIES)[number];
export type VmThreatStatus = (typeof VM_THREAT_STATUSES)[number];
export type VmState = (typeof VM_STATES)[number];
export type VmAssessmentStage = (typeof VM_ASSESSMENT_STAGES)[number];
export type VmConfidence = (typeof VM_CONFIDENCES)[number];
export type VmRole = (typeof VM_ROLES)[number];

/** Ours: a fix awaits retest until verified; everything before "Fixed" is still open. */
export const VM_STATE_OF: Record<VmThreatStatus, VmState> = {
  Pending: "Open",
  Acknowledged: "Open",
  "In Progress": "Open",
  Fixed: "Retest",
  Verified: "Resolved",
};

/** Ours: limits. A bulk upsert takes at most 500 items; list pages default to 100 rows, at most 500. */
export const VM_LIMITS = {
  maxBatch: 500,
  pageDefault: 100,
  pageMax: 500,
  externalId: 200,
  title: 500,
  text: 20_000,
  shortText: 200,
  listItems: 50,
  metadataKeys: 50,
  metadataValue: 2_000,
  assessmentName: 200,
} as const;

const shortText = z.string().trim().min(1).max(VM_LIMITS.shortText);
const longText = z.string().max(VM_LIMITS.text);
const timestamp = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: "expected a date-time string" });

/** Ours: the endpoint a threat was found on. */
export const vmEndpointSchema = z.object({
  host: z.string().trim().min(1).max(VM_LIMITS.shortText),
  method: z.string().trim().min(1).max(16),
  path: z.string().min(1).max(VM_LIMITS.metadataValue),
});

/**
 * Ours: one vulnerability as Postura sends it. `externalId` is Postura's stable id for the issue, unique in the
 * workspace: a second upsert with the same id updates (or leaves unchanged) the same record, never a new one, and an
 * upsert naming another assessment moves it there. `metadata` is free key/values (source, cwe, link back, ...).
 */
export const vmVulnerabilityInputSchema = z.object({
  externalId: z.string().min(1).max(VM_LIMITS.externalId),
  title: z.string().trim().min(1).max(VM_LIMITS.title),
  severity: z.enum(VM_SEVERITIES),
  status: z.enum(VM_THREAT_STATUSES).default("Pending"),
  owner: shortText.nullable().default(null),
  project: shortText.nullable().default(null),
  confidence: z.enum(VM_CONFIDENCES).nullable().default(null),
  endpoint: vmEndpointSchema.nullable().default(null),
  threatCategory: shortText.nullable().default(null),
  description: longText.default(""),
  mitigationNotes: longText.default(""),
  attackVectors: z.array(z.string().min(1).max(VM_LIMITS.metadataValue)).max(VM_LIMITS.listItems).default([]),
  tags: z.array(shortText).max(VM_LIMITS.listItems).default([]),
  metadata: z
    .record(z.string().min(1).max(VM_LIMITS.shortText), z.string().max(VM_LIMITS.metadataValue))
    .refine((m) => Object.keys(m).length <= VM_LIMITS.metadataKeys, {
      message: `at most ${VM_LIMITS.metadataKeys} metadata keys`,
    })
    .default({}),
});
/** What the client accepts (defaults may be left out). */
export type VmVulnerabilityInput = z.input<typeof vmVulnerabilityInputSchema>;
/** The same, with defaults filled in: what the VM stores. */
export type VmVulnerabilityFields = z.output<typeof vmVulnerabilityInputSchema>;

/** Ours: a stored vulnerability: the fields sent, plus VM's own. */
export const vmVulnerabilitySchema = vmVulnerabilityInputSchema.extend({
  id: z.string().min(1),
  assessmentId: z.string().min(1),
  state: z.enum(VM_STATES),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type VmVulnerability = z.output<typeof vmVulnerabilitySchema>;

/** Ours: an assessment with its counts. */
export const vmAssessmentSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string(),
  stage: z.enum(VM_ASSESSMENT_STAGES),
  collaborators: z.array(z.string()),
  counts: z.object({
    open: z.number().int().nonnegative(),
    resolved: z.number().int().nonnegative(),
    retest: z.number().int().nonnegative(),
  }),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type VmAssessment = z.output<typeof vmAssessmentSchema>;

/** Ours: `POST /api/v1/assessments` body (admins and managers). */
export const vmNewAssessmentSchema = z.object({
  name: z.string().trim().min(1).max(VM_LIMITS.assessmentName),
  description: z.string().max(VM_LIMITS.text).default(""),
  stage: z.enum(VM_ASSESSMENT_STAGES).default("New"),
});
export type VmNewAssessment = z.input<typeof vmNewAssessmentSchema>;

/** Ours: `GET /api/v1/workspace`: who the key is. The client's connection check. */
export const vmWorkspaceSchema = z.object({
  data: z.object({
    workspace: z.object({ id: z.string(), name: z.string() }),
    key: z.object({ name: z.string(), role: z.enum(VM_ROLES) }),
  }),
});
export type VmWorkspace = z.output<typeof vmWorkspaceSchema>["data"];

/** Ours: one object answers `{ data }`; lists answer `{ data, total, nextOffset }` (`nextOffset` null on the last page). */
export function vmOneSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}
export function vmPageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    total: z.number().int().nonnegative(),
    nextOffset: z.number().int().nonnegative().nullable(),
  });
}

/** Ours: `?limit=&offset=` on lists; vulnerabilities filter by `assessmentId` and/or `externalId`. */
export const VM_QUERY = { limit: "limit", offset: "offset", assessmentId: "assessmentId", externalId: "externalId" } as const;

export const VM_UPSERT_RESULTS = ["created", "updated", "unchanged", "error"] as const;
export type VmUpsertResult = (typeof VM_UPSERT_RESULTS)[number];

/** Ours: `PUT /api/v1/vulnerabilities/external/:externalId` body; the path's id wins over none in the body. */
export const vmSingleUpsertBodySchema = z.object({ assessmentId: z.string().min(1), vulnerability: z.unknown() });
/** Ours: its answer, 201 when created, 200 otherwise. */
export const vmSingleUpsertResponseSchema = z.object({
  data: vmVulnerabilitySchema,
  result: z.enum(["created", "updated", "unchanged"]),
});

/** Ours: `POST /api/v1/vulnerabilities/bulk` body; each item is validated on its own (one bad item fails alone). */
export const vmBulkUpsertBodySchema = z.object({
  assessmentId: z.string().min(1),
  vulnerabilities: z.array(z.unknown()).min(1),
});

/** Ours: one result per item, in the order sent; `reason` says why an item failed, `id` is VM's record id. */
export const vmItemResultSchema = z.object({
  index: z.number().int().nonnegative(),
  externalId: z.string().nullable(),
  result: z.enum(VM_UPSERT_RESULTS),
  id: z.string().optional(),
  reason: z.string().optional(),
});
export type VmItemResult = z.output<typeof vmItemResultSchema>;

export const vmBulkUpsertResponseSchema = z.object({
  results: z.array(vmItemResultSchema),
  summary: z.object({
    created: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    error: z.number().int().nonnegative(),
  }),
});
export type VmBulkUpsertResponse = z.output<typeof vmBulkUpsertResponseSchema>;

/** Ours: `PATCH /api/v1/vulnerabilities/external/:externalId/status` body and answer. Idempotent. */
export const vmStatusBodySchema = z.object({ status: z.enum(VM_THREAT_STATUSES) });
export const vmStatusResponseSchema = z.object({ data: vmVulnerabilitySchema, changed: z.boolean() });

/**
 * Ours: every JSON error is `{ error: { code, message, field?, header? } }`. 401 at once for a missing, invalid or
 * revoked key; 403 MISSING_REQUIRED_HEADER (names the header, never its value) for a key bound to a custom header;
 * 403 FORBIDDEN for a role that may not write; 429 with Retry-After (seconds or HTTP date).
 */
export const VM_ERROR_CODES = {
  unauthorized: "UNAUTHORIZED",
  invalidKey: "INVALID_API_KEY",
  revokedKey: "API_KEY_REVOKED",
  missingHeader: "MISSING_REQUIRED_HEADER",
  forbidden: "FORBIDDEN",
  validation: "VALIDATION_FAILED",
  batchTooLarge: "BATCH_TOO_LARGE",
  payloadTooLarge: "PAYLOAD_TOO_LARGE",
  assessmentNotFound: "ASSESSMENT_NOT_FOUND",
  notFound: "NOT_FOUND",
  rateLimited: "RATE_LIMITED",
  internal: "INTERNAL_ERROR",
  badGateway: "BAD_GATEWAY",
  unavailable: "SERVICE_UNAVAILABLE",
} as const;
export type VmErrorCode = (typeof VM_ERROR_CODES)[keyof typeof VM_ERROR_CODES];

export const vmErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    header: z.string().optional(),
  }),
});
export type VmErrorBody = z.input<typeof vmErrorBodySchema>;
