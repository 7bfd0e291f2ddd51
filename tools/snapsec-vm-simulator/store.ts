// In-memory assessments and vulnerabilities of one Snapsec VM workspace; vulnerabilities are keyed by external id.
import { createHash } from "node:crypto";
import {
  VM_STATE_OF,
  vmNewAssessmentSchema,
  vmVulnerabilityInputSchema,
  type VmAssessment,
  type VmAssessmentStage,
  type VmItemResult,
  type VmNewAssessment,
  type VmThreatStatus,
  type VmUpsertResult,
  type VmVulnerability,
  type VmVulnerabilityFields,
} from "../../server/integrations/snapsec-vm/contract";

/** A request the workspace refuses; the HTTP layer turns it into a status code and a JSON error body. */
export class VmInputError extends Error {
  constructor(
    readonly statusCode: 400 | 404,
    readonly code: "VALIDATION_FAILED" | "ASSESSMENT_NOT_FOUND" | "NOT_FOUND",
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "VmInputError";
  }
}

/** What the seeded workspace starts with: a few assessments and no vulnerabilities. */
export const SEEDED_ASSESSMENTS: readonly VmNewAssessment[] = [
  { name: "API threats", description: "Threats forwarded from Postura", stage: "New" },
  { name: "Payments platform", description: "Quarterly assessment of the payments APIs", stage: "Testing Ongoing" },
  { name: "Mobile backend", description: "", stage: "Remediation" },
];

export interface VmPageRequest {
  offset: number;
  limit: number;
}

export interface VmPage<T> {
  data: T[];
  total: number;
  nextOffset: number | null;
}

type StoredAssessment = Omit<VmAssessment, "counts">;

/** "title: Too big: expected string to have <=500 characters" — names the field so a rejected item says why. */
export function describeIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): {
  field: string;
  reason: string;
} {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)";
  return { field, reason: `${field}: ${issue?.message ?? "invalid"}` };
}

/**
 * What decides "unchanged": every field sent, plus the assessment. Zod's output keeps the schema's key order, so
 * only metadata (free keys, in the sender's order) needs sorting.
 */
function fingerprint(assessmentId: string, fields: VmVulnerabilityFields): string {
  const metadata = Object.keys(fields.metadata)
    .sort()
    .map((k) => [k, fields.metadata[k]]);
  // A digest, not the text: 100,000 records must not hold a second copy of themselves.
  return createHash("sha256").update(JSON.stringify([assessmentId, { ...fields, metadata }])).digest("base64");
}

function copy(v: VmVulnerability): VmVulnerability {
  return {
    ...v,
    endpoint: v.endpoint && { ...v.endpoint },
    attackVectors: [...v.attackVectors],
    tags: [...v.tags],
    metadata: { ...v.metadata },
  };
}

export class VmWorkspaceState {
  private readonly assessments = new Map<string, StoredAssessment>();
  /** By external id, in insertion order. */
  private readonly vulnerabilities = new Map<string, VmVulnerability>();
  private readonly fingerprints = new Map<string, string>();
  /** External ids per assessment, so one assessment's page does not walk the whole workspace. */
  private readonly byAssessment = new Map<string, Set<string>>();
  private readonly idempotent = new Map<string, string>();
  private nextAssessment = 1;
  private nextVulnerability = 1;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.load();
  }

  /** Back to the seeded workspace; ids restart, so runs repeat. */
  load(assessments: readonly VmNewAssessment[] = SEEDED_ASSESSMENTS): void {
    this.assessments.clear();
    this.vulnerabilities.clear();
    this.fingerprints.clear();
    this.byAssessment.clear();
    this.idempotent.clear();
    this.nextAssessment = 1;
    this.nextVulnerability = 1;
    for (const assessment of assessments) this.createAssessment(assessment);
  }

  private withCounts(assessment: StoredAssessment): VmAssessment {
    const counts = { open: 0, resolved: 0, retest: 0 };
    for (const externalId of this.byAssessment.get(assessment.id) ?? []) {
      const v = this.vulnerabilities.get(externalId) as VmVulnerability;
      if (v.state === "Open") counts.open++;
      else if (v.state === "Resolved") counts.resolved++;
      else counts.retest++;
    }
    return { ...assessment, collaborators: [...assessment.collaborators], counts };
  }

  listAssessments(page: VmPageRequest): VmPage<VmAssessment> {
    const found = paginate(this.assessments.values(), this.assessments.size, page);
    return { ...found, data: found.data.map((a) => this.withCounts(a)) };
  }

  getAssessment(id: string): VmAssessment | undefined {
    const assessment = this.assessments.get(id);
    return assessment && this.withCounts(assessment);
  }

  /**
   * With an idempotency key already seen (per API key), the first assessment is returned and nothing is created,
   * so a client's retry after a lost answer never makes a second assessment.
   */
  createAssessment(input: unknown, idempotencyKey?: string): { assessment: VmAssessment; replayed: boolean } {
    if (idempotencyKey !== undefined) {
      const existing = this.idempotent.get(idempotencyKey);
      const assessment = existing === undefined ? undefined : this.getAssessment(existing);
      if (assessment) return { assessment, replayed: true };
    }
    const parsed = vmNewAssessmentSchema.safeParse(input);
    if (!parsed.success) {
      const { field, reason } = describeIssue(parsed.error);
      throw new VmInputError(400, "VALIDATION_FAILED", reason, field);
    }
    const at = this.now().toISOString();
    const id = `asm_${String(this.nextAssessment++).padStart(4, "0")}`;
    this.assessments.set(id, { id, ...parsed.data, collaborators: [], createdAt: at, updatedAt: at });
    this.byAssessment.set(id, new Set());
    if (idempotencyKey !== undefined) this.idempotent.set(idempotencyKey, id);
    return { assessment: this.withCounts(this.assessments.get(id) as StoredAssessment), replayed: false };
  }

  setStage(id: string, stage: VmAssessmentStage): VmAssessment {
    const assessment = this.requireAssessment(id);
    assessment.stage = stage;
    assessment.updatedAt = this.now().toISOString();
    return this.withCounts(assessment);
  }

  /** Deleting an assessment deletes its vulnerabilities, as VM does. */
  deleteAssessment(id: string): void {
    this.requireAssessment(id);
    this.assessments.delete(id);
    for (const externalId of this.byAssessment.get(id) ?? []) {
      this.vulnerabilities.delete(externalId);
      this.fingerprints.delete(externalId);
    }
    this.byAssessment.delete(id);
  }

  private requireAssessment(id: string): StoredAssessment {
    const assessment = this.assessments.get(id);
    if (!assessment) throw new VmInputError(404, "ASSESSMENT_NOT_FOUND", `No assessment with id ${id}`);
    return assessment;
  }

  /** Validates the item on its own, then creates, updates or leaves unchanged the record with its external id. */
  upsert(assessmentId: string, item: unknown): { vulnerability: VmVulnerability; result: Exclude<VmUpsertResult, "error"> } {
    const { vulnerability, result } = this.write(assessmentId, item);
    return { vulnerability: copy(vulnerability), result };
  }

  /** The stored record itself (not a copy): for callers in this class only. */
  private write(assessmentId: string, item: unknown): { vulnerability: VmVulnerability; result: Exclude<VmUpsertResult, "error"> } {
    this.requireAssessment(assessmentId);
    const parsed = vmVulnerabilityInputSchema.safeParse(item);
    if (!parsed.success) {
      const { field, reason } = describeIssue(parsed.error);
      throw new VmInputError(400, "VALIDATION_FAILED", reason, field);
    }
    const fields = parsed.data;
    const print = fingerprint(assessmentId, fields);
    const existing = this.vulnerabilities.get(fields.externalId);
    if (existing && this.fingerprints.get(fields.externalId) === print) return { vulnerability: existing, result: "unchanged" };
    const at = this.now().toISOString();
    const vulnerability: VmVulnerability = {
      ...fields,
      id: existing?.id ?? `vuln_${String(this.nextVulnerability++).padStart(6, "0")}`,
      assessmentId,
      state: VM_STATE_OF[fields.status],
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
    if (existing && existing.assessmentId !== assessmentId) this.byAssessment.get(existing.assessmentId)?.delete(fields.externalId);
    this.byAssessment.get(assessmentId)?.add(fields.externalId);
    this.vulnerabilities.set(fields.externalId, vulnerability);
    this.fingerprints.set(fields.externalId, print);
    return { vulnerability, result: existing ? "updated" : "created" };
  }

  /** One result per item, in order. A bad item or an external id repeated in the batch fails alone. */
  bulkUpsert(assessmentId: string, items: readonly unknown[]): VmItemResult[] {
    this.requireAssessment(assessmentId);
    const firstIndex = new Map<string, number>();
    return items.map((item, index): VmItemResult => {
      const rawId = (item as { externalId?: unknown } | null)?.externalId;
      const externalId = typeof rawId === "string" && rawId !== "" ? rawId : null;
      if (externalId !== null) {
        const first = firstIndex.get(externalId);
        if (first !== undefined) {
          return { index, externalId, result: "error", reason: `externalId: already sent in this batch as item ${first}` };
        }
        firstIndex.set(externalId, index);
      }
      try {
        const { vulnerability, result } = this.write(assessmentId, item);
        return { index, externalId, result, id: vulnerability.id };
      } catch (error) {
        if (!(error instanceof VmInputError)) throw error;
        return { index, externalId, result: "error", reason: error.message };
      }
    });
  }

  /** Idempotent: the same status again changes nothing (not even updatedAt). */
  setStatus(externalId: string, status: VmThreatStatus): { vulnerability: VmVulnerability; changed: boolean } {
    const existing = this.vulnerabilities.get(externalId);
    if (!existing) throw new VmInputError(404, "NOT_FOUND", `No vulnerability with external id ${externalId}`);
    if (existing.status === status) return { vulnerability: copy(existing), changed: false };
    existing.status = status;
    existing.state = VM_STATE_OF[status];
    existing.updatedAt = this.now().toISOString();
    const { id: _id, assessmentId, state: _state, createdAt: _created, updatedAt: _updated, ...fields } = existing;
    this.fingerprints.set(externalId, fingerprint(assessmentId, fields));
    return { vulnerability: copy(existing), changed: true };
  }

  getVulnerability(externalId: string): VmVulnerability | undefined {
    const found = this.vulnerabilities.get(externalId);
    return found && copy(found);
  }

  listVulnerabilities(page: VmPageRequest, filter: { assessmentId?: string; externalId?: string } = {}): VmPage<VmVulnerability> {
    if (filter.externalId !== undefined) {
      const found = this.vulnerabilities.get(filter.externalId);
      const matches = found !== undefined && (filter.assessmentId === undefined || found.assessmentId === filter.assessmentId);
      return paginate(matches ? [copy(found)] : [], 1, page);
    }
    if (filter.assessmentId === undefined) {
      const found = paginate(this.vulnerabilities.values(), this.vulnerabilities.size, page);
      return { ...found, data: found.data.map(copy) };
    }
    const ids = this.byAssessment.get(filter.assessmentId) ?? new Set<string>();
    const found = paginate(ids, ids.size, page);
    return { ...found, data: found.data.map((id) => copy(this.vulnerabilities.get(id) as VmVulnerability)) };
  }

  counts(): { assessments: number; vulnerabilities: number } {
    return { assessments: this.assessments.size, vulnerabilities: this.vulnerabilities.size };
  }
}

/** Walks to the page without copying what comes before it: a page deep in 100,000 rows costs the skip, not a copy. */
function paginate<T>(rows: Iterable<T>, total: number, { offset, limit }: VmPageRequest): VmPage<T> {
  const data: T[] = [];
  let index = 0;
  for (const row of rows) {
    if (index++ < offset) continue;
    if (data.length === limit) break;
    data.push(row);
  }
  const next = offset + data.length;
  return { data, total, nextOffset: next < total ? next : null };
}
