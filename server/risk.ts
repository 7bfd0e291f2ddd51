// The risk score: transparent on purpose, so a user can redo it by hand.
//   base  = 10 × critical + 5 × high + 3 × medium + 1 × low (+ 0 × notification), over OPEN issues
//           (Dependency-Track's inherited-risk weights)
//   score = round(base × business-impact multiplier), multiplier low 0.5, medium 1, high 1.5
// An API asset uses its parent FQDN's business impact. The inputs are stored beside the score.
import { type BusinessImpact, type RiskInputs, type Severity, severities } from "@/db/schema";

export const severityWeights: Record<Severity, number> = { critical: 10, high: 5, medium: 3, low: 1, notification: 0 };
export const impactMultipliers: Record<BusinessImpact, number> = { low: 0.5, medium: 1, high: 1.5 };

export function emptySeverityCounts(): Record<Severity, number> {
  return { notification: 0, low: 0, medium: 0, high: 0, critical: 0 };
}

export function computeRisk(openBySeverity: Record<Severity, number>, businessImpact: BusinessImpact): { score: number; inputs: RiskInputs } {
  let base = 0;
  for (const [severity, count] of Object.entries(openBySeverity) as [Severity, number][]) {
    base += severityWeights[severity] * count;
  }
  const multiplier = impactMultipliers[businessImpact];
  return { score: Math.round(base * multiplier), inputs: { openBySeverity, businessImpact, base, multiplier } };
}

/** The highest severity with an open issue, or null: what a risk score's colour says. */
export function worstOpenSeverity(openBySeverity: Partial<Record<Severity, number>> | null | undefined): Severity | null {
  if (!openBySeverity) return null;
  for (let i = severities.length - 1; i >= 0; i--) if ((openBySeverity[severities[i]!] ?? 0) > 0) return severities[i]!;
  return null;
}
