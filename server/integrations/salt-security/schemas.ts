// Zod schemas for Salt's responses: the only place (with conventions.ts) that spells Salt's field names.
import { z } from "zod";

export const SALT_SEVERITIES = ["Info", "Low", "Medium", "High", "Critical"] as const;
export const SALT_STATUSES = ["Open", "Inprocess", "Resolved", "Ignored"] as const;
export type SaltSeverity = (typeof SALT_SEVERITIES)[number];
export type SaltStatus = (typeof SALT_STATUSES)[number];

export const saltSeveritySchema = z.enum(SALT_SEVERITIES);
export const saltStatusSchema = z.enum(SALT_STATUSES);

const timestamp = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: "expected a date-time string" });
/** A posture gap's dates only inform: one Salt cannot give is unknown (null), never a reason to drop the gap. */
const informativeTimestamp = z
  .unknown()
  .transform((v) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? v : null));

/** Not public (simulator-defined): a ticket is an object; unknown extra fields are kept out, missing ones tolerated. */
export const saltTicketSchema = z.object({
  ticketId: z.string().optional(),
  system: z.string().optional(),
  url: z.string().optional(),
});

/** Public field list (SALT_API.md). cweId: the simulator sends "CWE-<n>"; a bare number is normalised to that. */
export const postureGapSchema = z.object({
  postureGapId: z.string().min(1),
  postureGapName: z.string(),
  severity: saltSeveritySchema,
  status: saltStatusSchema,
  categories: z.array(z.string()),
  host: z.string(),
  method: z.string(),
  endpointPath: z.string(),
  tickets: z.array(saltTicketSchema),
  detected: informativeTimestamp,
  lastActivity: informativeTimestamp,
  endpointLabels: z.array(z.string()),
  cweId: z
    .union([z.string(), z.number().int()])
    .nullable()
    .optional()
    .transform((v) => (v === undefined || v === null ? null : typeof v === "number" ? `CWE-${v}` : v)),
});
export type PostureGap = z.output<typeof postureGapSchema>;

/** Not public, defined by Postura's simulator beyond `host` (see contract.md). */
export const saltHostSchema = z.object({
  hostId: z.string(),
  host: z.string().min(1),
  labels: z.array(z.string()),
  endpointCount: z.number().int().nonnegative(),
  firstSeen: timestamp,
  lastSeen: timestamp,
});
export type SaltHost = z.output<typeof saltHostSchema>;

/** Not public, defined by Postura's simulator beyond `host`, `method` and `endpointPath` (see contract.md). */
export const saltEndpointSchema = z.object({
  endpointId: z.string(),
  host: z.string().min(1),
  method: z.string().min(1),
  endpointPath: z.string().min(1),
  labels: z.array(z.string()),
  firstSeen: timestamp,
  lastSeen: timestamp,
});
export type SaltEndpoint = z.output<typeof saltEndpointSchema>;

/** Public: `{ response: [...], endOffset }`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ response: z.array(item), endOffset: z.number().int().nonnegative() });
}
export interface SaltPage<T> {
  response: T[];
  endOffset: number;
}

/** Not public, defined by Postura's simulator: the answer to a status write-back. */
export const writeBackResponseSchema = z.object({ response: postureGapSchema, changed: z.boolean().optional() });

/** Not public, defined by Postura's simulator: error bodies `{ errorCode, message, requiredScope? }`; all optional. */
export const saltErrorBodySchema = z
  .object({
    errorCode: z.string().optional(),
    message: z.string().optional(),
    requiredScope: z.string().optional(),
  })
  .partial();
