// A person editing an issue's threat model (confidence, mitigation notes, attack vectors): one transaction writes
// the change, its audit row, and the forwarding outbox row that tells Snapsec VM.
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type Confidence, issues } from "@/db/schema";
import { type AuditActor, recordAudit } from "@/server/audit";
import { forwardIssueChanges } from "@/server/forwarding/outbox";

export const threatModelLimits = { notes: 10_000, vector: 500, vectors: 20 } as const;

export type ThreatModel = { confidence: Confidence | null; mitigationNotes: string; attackVectors: string[] };

export async function saveThreatModel(db: Database, { companyId, issueId, actor, model }: { companyId: string; issueId: string; actor: AuditActor; model: ThreatModel }) {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ title: issues.title, confidence: issues.confidence, mitigationNotes: issues.mitigationNotes, attackVectors: issues.attackVectors })
      .from(issues)
      .where(and(eq(issues.companyId, companyId), eq(issues.id, issueId)))
      .for("update");
    if (!current) return null;
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (current.confidence !== model.confidence) changed.confidence = { from: current.confidence, to: model.confidence };
    if (current.mitigationNotes !== model.mitigationNotes) changed.mitigationNotes = { from: "(edited)", to: "(edited)" };
    if (JSON.stringify(current.attackVectors) !== JSON.stringify(model.attackVectors)) changed.attackVectors = { from: current.attackVectors.length, to: model.attackVectors.length };
    if (Object.keys(changed).length === 0) return { changed: false };
    await tx
      .update(issues)
      .set({ ...model, updatedAt: new Date() })
      .where(and(eq(issues.companyId, companyId), eq(issues.id, issueId)));
    await recordAudit(tx, { companyId, actor, action: "issue.threat_model_changed", target: { type: "issue", id: issueId, label: current.title }, details: changed });
    await forwardIssueChanges(tx, { companyId, issueIds: [issueId] });
    return { changed: true };
  });
}
