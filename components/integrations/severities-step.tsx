"use client";
// Severity Filters: which severities an integration takes — Salt's posture gaps imported, or issues forwarded to VM.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import type { SeverityFilter } from "@/db/schema/integrations";
import { severities, severityLabels } from "@/db/schema/vocabulary";
import { enabledSeverityCount } from "@/lib/integration-wizard";
import type { RouterOutputs } from "@/lib/trpc-types";
import { Badge } from "@/components/ui/badge";
import { Notice } from "./notice";
import { StepFooter, StepFrame, type StepMode } from "./step-frame";
import { Switch } from "./switch";

type Integration = NonNullable<RouterOutputs["integrations"]["live"]>;

const saltNames: Record<(typeof severities)[number], string> = {
  notification: "Info",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

/** What the step says, per integration. */
export type SeverityStepCopy = { description: string; sourceName: string; noneTitle: string; noneText: string; savedText: string };

const saltCopy: SeverityStepCopy = {
  description: "Import posture gaps of these severities. Gaps of a severity that is off are left out of Postura.",
  sourceName: "Salt",
  noneTitle: "No findings will be imported",
  noneText: "Every severity is off, so syncs will import no posture gaps. Endpoints are still imported as API assets.",
  savedText: "Severity filters saved. They apply from the next sync.",
};

export const vmSeverityCopy: SeverityStepCopy = {
  description:
    "Forward issues of these severities to Snapsec VM. The filter decides an issue's first push: once in VM, a record keeps syncing even if its severity is later turned off.",
  sourceName: "VM",
  noneTitle: "Nothing will be forwarded",
  noneText: "Every severity is off, so no issue will be forwarded to Snapsec VM.",
  savedText: "Severity filters saved. They apply to the next issues forwarded.",
};

export function SeveritiesStep({
  integration,
  mode,
  backHref,
  onContinue,
  copy = saltCopy,
}: {
  integration: Integration;
  mode: StepMode;
  backHref?: string;
  onContinue?: () => void;
  copy?: SeverityStepCopy;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<SeverityFilter>(integration.settings.severityFilter);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.integrations.saveSeverityFilter.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        if (mode === "wizard") onContinue?.();
        else setSaved(true);
      },
    }),
  );
  const none = enabledSeverityCount(filter) === 0;

  return (
    <StepFrame
      title="Severity Filters"
      description={copy.description}
      footer={
        <StepFooter
          backHref={backHref}
          primaryLabel={mode === "wizard" ? "Continue" : "Save filters"}
          pending={save.isPending}
          pendingLabel="Saving…"
          onPrimary={() => save.mutate({ id: integration.id, severityFilter: filter })}
        />
      }
    >
      <ul className="max-w-xl divide-y divide-slate-100 rounded-lg border border-slate-200">
        {severities.map((severity) => (
          <li key={severity} className="flex items-center justify-between gap-4 px-4 py-3">
            <label htmlFor={`severity-${severity}`} className="flex items-center gap-3">
              <Badge tone={severity} className="w-24 justify-center">
                {severityLabels[severity]}
              </Badge>
              <span className="text-sm text-slate-600">
                {copy.sourceName}&apos;s {saltNames[severity]}
              </span>
            </label>
            <Switch
              id={`severity-${severity}`}
              checked={filter[severity] ?? false}
              onCheckedChange={(checked) => {
                setFilter({ ...filter, [severity]: checked });
                setSaved(false);
              }}
            />
          </li>
        ))}
      </ul>
      {none ? (
        <Notice tone="warning" title={copy.noneTitle}>
          {copy.noneText}
        </Notice>
      ) : null}
      {save.error ? <Notice tone="danger">{save.error.message}</Notice> : null}
      {saved ? <Notice tone="success">{copy.savedText}</Notice> : null}
    </StepFrame>
  );
}
