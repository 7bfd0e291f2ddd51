"use client";
// The issue's threat model: confidence, mitigation notes and attack vectors — edited by analysts and admins, read by
// everyone, and forwarded to Snapsec VM with the record.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Notice } from "@/components/integrations/notice";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label, Select } from "@/components/ui/input";
import { SourceText } from "@/components/ui/source-text";
import { type Confidence, confidenceLabels, confidences } from "@/db/schema/vocabulary";

type Model = { confidence: Confidence | null; mitigationNotes: string; attackVectors: string[] };

const textareaClass = "w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-brand-600";

export function ThreatModel({ issueId, model, canEdit }: { issueId: string; model: Model; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [confidence, setConfidence] = useState<Confidence | "">(model.confidence ?? "");
  const [notes, setNotes] = useState(model.mitigationNotes);
  const [vectors, setVectors] = useState(model.attackVectors.join("\n"));
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.issues.setThreatModel.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.issues.byId.queryKey({ id: issueId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.issues.forwarding.queryKey({ id: issueId }) });
      },
    }),
  );

  return (
    <Card className="mt-4">
      <CardHeader>
        <CardTitle>Threat model</CardTitle>
        <CardDescription>How sure the finding is, how to mitigate it, and how it can be attacked. Forwarded to Snapsec VM with the issue.</CardDescription>
      </CardHeader>
      <CardContent>
        {canEdit ? (
          <form
            className="grid gap-4 md:grid-cols-[12rem_1fr_1fr]"
            onSubmit={(e) => {
              e.preventDefault();
              setSaved(false);
              save.mutate({
                id: issueId,
                confidence: confidence === "" ? null : confidence,
                mitigationNotes: notes,
                attackVectors: vectors.split("\n").map((v) => v.trim()).filter((v) => v !== ""),
              });
            }}
          >
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-confidence`}>Confidence</Label>
              <Select id={`${id}-confidence`} value={confidence} onChange={(e) => setConfidence(e.target.value as Confidence | "")}>
                <option value="">Not assessed</option>
                {confidences.map((c) => (
                  <option key={c} value={c}>
                    {confidenceLabels[c]}
                  </option>
                ))}
              </Select>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-notes`}>Mitigation notes</Label>
              <textarea id={`${id}-notes`} rows={4} className={textareaClass} value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={10_000} />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-vectors`}>Attack vectors, one per line</Label>
              <textarea id={`${id}-vectors`} rows={4} className={textareaClass} value={vectors} onChange={(e) => setVectors(e.target.value)} />
            </div>
            <div className="flex items-center gap-3 md:col-span-3">
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? "Saving…" : "Save threat model"}
              </Button>
              {saved ? <span className="text-sm text-emerald-700" role="status">Saved.</span> : null}
            </div>
            {save.error ? (
              <div className="md:col-span-3">
                <Notice tone="danger">{save.error.message}</Notice>
              </div>
            ) : null}
          </form>
        ) : (
          <dl className="grid gap-4 text-sm md:grid-cols-[12rem_1fr_1fr]">
            <div>
              <dt className="font-medium text-slate-900">Confidence</dt>
              <dd className="text-slate-700">{model.confidence ? confidenceLabels[model.confidence] : "Not assessed"}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-900">Mitigation notes</dt>
              <dd className="whitespace-pre-wrap text-slate-700">{model.mitigationNotes ? <SourceText>{model.mitigationNotes}</SourceText> : "—"}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-900">Attack vectors</dt>
              <dd className="text-slate-700">
                {model.attackVectors.length ? (
                  <ul className="list-disc pl-5">
                    {model.attackVectors.map((v) => (
                      <li key={v}>
                        <SourceText>{v}</SourceText>
                      </li>
                    ))}
                  </ul>
                ) : (
                  "—"
                )}
              </dd>
            </div>
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
