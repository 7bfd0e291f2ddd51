// Zod schemas for Tenable.io's answers: the only place (with conventions.ts) that spells Tenable's field names.
// Lenient where Tenable is loose: empty attributes are omitted (or null), enums come in either case.
import { z } from "zod";
import { TENABLE_SEVERITIES, TENABLE_STATES } from "./conventions";

export type TenableSeverity = (typeof TENABLE_SEVERITIES)[number];
export type TenableState = (typeof TENABLE_STATES)[number];

/** Absent, null and "" all mean "not set". */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null || v === "" ? undefined : v), schema.optional()).optional();
}

const timestamp = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: "expected a date-time string" });
const text = optional(z.string());
/** Exports send single strings for these; other Tenable APIs send lists. Either reads as the first value. */
const firstString = optional(
  z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v.find((s) => s !== "") : v)),
);

export const tenableAssetSchema = z.object({
  uuid: z.string().min(1),
  hostname: firstString,
  fqdn: firstString,
  ipv4: firstString,
  ipv6: firstString,
  mac_address: firstString,
  netbios_name: firstString,
  operating_system: optional(z.union([z.string().transform((v) => [v]), z.array(z.string())])),
  network_id: text,
});
export type TenableAsset = z.output<typeof tenableAssetSchema>;

export const tenablePluginSchema = z.object({
  id: z.coerce.number().int().nonnegative(),
  name: z.string(),
  family: text,
  cve: optional(z.array(z.string())),
  solution: text,
  synopsis: text,
  description: text,
  risk_factor: text,
  cvss3_base_score: optional(z.coerce.number()),
  vpr: optional(z.object({ score: optional(z.coerce.number()) })),
  has_patch: optional(z.boolean()),
  exploit_available: optional(z.boolean()),
});

export const tenableFindingSchema = z.object({
  asset: tenableAssetSchema,
  plugin: tenablePluginSchema,
  /** Host-level findings are on port 0. */
  port: z
    .object({
      port: z.coerce.number().int().nonnegative().default(0),
      protocol: optional(z.string()),
      service: text,
    })
    .default({ port: 0 }),
  scan: optional(z.object({ uuid: text, started_at: optional(timestamp) })),
  severity: z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(TENABLE_SEVERITIES)),
  severity_id: optional(z.number().int()),
  state: z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(TENABLE_STATES)),
  first_found: optional(timestamp),
  last_found: optional(timestamp),
  last_fixed: optional(timestamp),
  finding_id: text,
  output: text,
});
export type TenableFinding = z.output<typeof tenableFindingSchema>;

export const exportStartedSchema = z.object({ export_uuid: z.string().min(1) });
export const exportConflictSchema = z.object({ active_job_id: z.string().min(1), failure_reason: text });

const chunkIds = z.array(z.number().int()).nullish().transform((v) => v ?? []);

/** Old recordings lack total_chunks; every list may be absent while QUEUED. */
export const exportStatusSchema = z.object({
  status: z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(["QUEUED", "PROCESSING", "FINISHED", "CANCELLED", "ERROR"])),
  chunks_available: chunkIds,
  chunks_failed: chunkIds,
  chunks_cancelled: chunkIds,
  total_chunks: optional(z.number().int().nonnegative()),
  finished_chunks: optional(z.number().int().nonnegative()),
  empty_chunks_count: optional(z.number().int().nonnegative()),
  reason: text,
});
export type ExportStatus = z.output<typeof exportStatusSchema>;

export const sessionSchema = z.object({ username: text, permissions: optional(z.number().int()) });
export const exportJobsSchema = z.object({ exports: z.array(z.unknown()) });
export const exportCancelSchema = z.object({ status: z.string() });
export const assetImportStartedSchema = z.object({ asset_import_job_uuid: z.string().min(1) });
