// What one issue adds to its domain's risk score: its severity's weight × the domain's business-impact multiplier
// (server/risk.ts), with the domain's whole breakdown as the domain page shows it.
import Link from "next/link";
import { SourceText } from "@/components/ui/source-text";
import type { AssetType, RiskInputs } from "@/db/schema/assets";
import { type BusinessImpact, isOpenStatus, type IssueStatus, type Severity, severityLabels } from "@/db/schema/vocabulary";
import { impactMultipliers, severityWeights } from "@/server/risk";
import { businessImpactLabels } from "./badges";
import { RiskBreakdown } from "./risk-breakdown";

export function IssueRisk({
  severity,
  status,
  domain,
}: {
  severity: Severity;
  status: IssueStatus;
  domain: { id: string; name: string; assetType: AssetType; businessImpact: BusinessImpact; riskScore: number; riskInputs: RiskInputs | null } | null;
}) {
  if (!domain) return <p className="text-sm text-slate-600">This issue sits on no domain, so it adds to no risk score.</p>;
  const impact = domain.riskInputs?.businessImpact ?? domain.businessImpact;
  const weight = severityWeights[severity];
  const multiplier = impactMultipliers[impact];
  return (
    <div className="space-y-3 text-sm">
      <p className="text-slate-700" data-testid="issue-risk">
        {severityLabels[severity]} weighs <span className="font-semibold tabular-nums">{weight}</span> × business impact{" "}
        {businessImpactLabels[impact]} <span className="font-semibold tabular-nums">{multiplier}</span> ={" "}
        <span className="font-semibold tabular-nums">{weight * multiplier}</span> points{" "}
        {isOpenStatus(status) ? "of" : "— not counted now, as the issue is closed — of"}{" "}
        <Link href={domain.assetType === "domain" ? `/assets/fqdns/${domain.id}` : `/issues?fqdn=${domain.id}`} className="font-medium text-slate-900 hover:underline">
          <SourceText>{domain.name}</SourceText>
        </Link>
        &apos;s risk score.
      </p>
      <details>
        <summary className="cursor-pointer text-brand-700">How the domain&apos;s score adds up</summary>
        <div className="mt-2">
          <RiskBreakdown score={domain.riskScore} inputs={domain.riskInputs} />
        </div>
      </details>
    </div>
  );
}
