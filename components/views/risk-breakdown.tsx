// Why a risk score is what it is: open issues by severity × weight, times the business-impact multiplier.
import type { RiskInputs } from "@/db/schema/assets";
import { severities, severityLabels } from "@/db/schema/vocabulary";
import { formatNumber } from "@/lib/format";
import { impactMultipliers, severityWeights, worstOpenSeverity } from "@/server/risk";
import { businessImpactLabels, RiskScore } from "./badges";

export function RiskBreakdown({ score, inputs }: { score: number; inputs: RiskInputs | null }) {
  if (!inputs) return <p className="text-sm text-slate-600">Not scored yet: the score is computed at the next sync.</p>;
  const rows = [...severities].reverse().filter((s) => severityWeights[s] > 0 || inputs.openBySeverity[s] > 0);
  return (
    <div>
      <table className="w-full text-sm">
        <caption className="sr-only">Risk score breakdown</caption>
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th scope="col" className="pb-1 font-medium">Open issues</th>
            <th scope="col" className="pb-1 text-right font-medium">Count</th>
            <th scope="col" className="pb-1 text-right font-medium">Weight</th>
            <th scope="col" className="pb-1 text-right font-medium">Points</th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {rows.map((severity) => (
            <tr key={severity} className="border-t border-slate-100">
              <th scope="row" className="py-1 text-left font-normal text-slate-700">{severityLabels[severity]}</th>
              <td className="py-1 text-right">{formatNumber(inputs.openBySeverity[severity] ?? 0)}</td>
              <td className="py-1 text-right text-slate-500">× {severityWeights[severity]}</td>
              <td className="py-1 text-right">{formatNumber((inputs.openBySeverity[severity] ?? 0) * severityWeights[severity])}</td>
            </tr>
          ))}
          <tr className="border-t border-slate-200 font-medium">
            <th scope="row" className="py-1 text-left">Base</th>
            <td colSpan={3} className="py-1 text-right">{formatNumber(inputs.base)}</td>
          </tr>
          <tr>
            <th scope="row" className="py-1 text-left font-normal text-slate-700">
              Business impact {businessImpactLabels[inputs.businessImpact]}
            </th>
            <td colSpan={3} className="py-1 text-right">× {impactMultipliers[inputs.businessImpact]}</td>
          </tr>
          <tr className="border-t border-slate-200">
            <th scope="row" className="pt-2 text-left font-semibold">Risk score</th>
            <td colSpan={3} className="pt-2 text-right" data-testid="risk-score">
              <RiskScore score={score} worst={worstOpenSeverity(inputs.openBySeverity)} />
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
