"use client";
// Status Mapping: the board, the rules it follows, and Save / Continue.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import type { StatusMapping } from "@/db/schema/integrations";
import type { RouterOutputs } from "@/lib/trpc-types";
import { Notice } from "./notice";
import { StatusMappingBoard } from "./status-mapping-board";
import { StepFooter, StepFrame, type StepMode } from "./step-frame";

type Integration = NonNullable<RouterOutputs["integrations"]["live"]>;

export function MappingStep({ integration, mode, backHref, onContinue }: { integration: Integration; mode: StepMode; backHref?: string; onContinue?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mapping, setMapping] = useState<StatusMapping>(integration.settings.statusMapping);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.integrations.saveStatusMapping.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        if (mode === "wizard") onContinue?.();
        else setSaved(true);
      },
    }),
  );

  return (
    <StepFrame
      title="Status Mapping"
      description="Drag Salt Security statuses onto Postura statuses to say how each side's statuses translate. A row can hold several Salt statuses."
      footer={
        <StepFooter
          backHref={backHref}
          primaryLabel={mode === "wizard" ? "Continue" : "Save mapping"}
          pending={save.isPending}
          pendingLabel="Saving…"
          onPrimary={() => save.mutate({ id: integration.id, statusMapping: mapping })}
        />
      }
    >
      <ul className="grid gap-x-6 gap-y-1.5 rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 sm:grid-cols-2">
        <li>
          <span className="font-medium text-slate-900">Postura → Salt:</span> on write-back, only the first Salt status in a row is applied.
        </li>
        <li>
          <span className="font-medium text-slate-900">Salt → Postura:</span> on inbound sync, every Salt status in a row is recognised.
        </li>
        <li>Postura statuses with no Salt status are not synced.</li>
        <li>Changes apply only to future synchronisations.</li>
      </ul>
      <StatusMappingBoard
        value={mapping}
        onChange={(next) => {
          // The board holds Salt's vocabulary by default, so its mapping is a Salt status mapping.
          setMapping(next as StatusMapping);
          setSaved(false);
        }}
      />
      {save.error ? <Notice tone="danger">{save.error.message}</Notice> : null}
      {saved ? <Notice tone="success">Status mapping saved. It applies from the next sync.</Notice> : null}
    </StepFrame>
  );
}
