"use client";
// The SLA form: days per severity (empty: no SLA). Validated with the server's own schema before sending.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useState } from "react";
import { Notice } from "@/components/integrations/notice";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { type Severity, severities, severityLabels } from "@/db/schema/vocabulary";
import { defaultSlaPolicy, dueSoonRule, type SlaPolicy, slaPolicySchema } from "@/lib/sla";

const bySeverityDesc = [...severities].reverse();

export function SlaClient({ canManage, refusal }: { canManage: boolean; refusal: string }) {
  const trpc = useTRPC();
  const policy = useQuery(trpc.overview.slaPolicy.queryOptions());
  if (!policy.data) return <Skeleton className="h-96 max-w-xl" />;
  // The form keeps what was typed after a save (it is what was saved); it takes the policy only when it first shows.
  return <SlaForm policy={policy.data} canManage={canManage} refusal={refusal} />;
}

function SlaForm({ policy, canManage, refusal }: { policy: SlaPolicy; canManage: boolean; refusal: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Severity, string>>(
    () => Object.fromEntries(severities.map((s) => [s, policy[s] == null ? "" : String(policy[s])])) as Record<Severity, string>,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.overview.setSlaPolicy.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.overview.pathKey() });
      },
    }),
  );

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = slaPolicySchema.safeParse(
      Object.fromEntries(severities.map((s) => [s, values[s].trim() === "" ? null : /^\d+$/.test(values[s].trim()) ? Number(values[s]) : Number.NaN])),
    );
    const fieldErrors: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    setErrors(fieldErrors);
    if (parsed.success) save.mutate(parsed.data);
  }

  return (
    <Card className="max-w-xl p-6">
      {canManage ? null : (
        <Notice tone="info" className="mb-4" title="Read only">
          {refusal}
        </Notice>
      )}
      <form className="space-y-4" onSubmit={submit} noValidate aria-label="SLA per severity">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {bySeverityDesc.map((severity) => (
            <Field
              key={severity}
              id={`sla-${severity}`}
              label={`${severityLabels[severity]} (days)`}
              inputMode="numeric"
              value={values[severity]}
              onChange={(e) => setValues({ ...values, [severity]: e.target.value })}
              error={errors[severity]}
              hint={`Empty: no SLA. Default ${defaultSlaPolicy[severity] ?? "none"}.`}
              disabled={!canManage}
              className="block w-32"
            />
          ))}
        </div>
        <p className="text-sm text-slate-600">
          The clock starts when the source detected the issue (or when Postura first saw it, if the source gives no date). {dueSoonRule}
        </p>
        {save.error ? (
          <Notice tone="danger" title="Not saved.">
            {save.error.message}
          </Notice>
        ) : null}
        {saved ? <Notice tone="success" title="Saved.">The Overview and the Issues list now count against these days.</Notice> : null}
        {canManage ? (
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? <Loader2 aria-hidden className="animate-spin" /> : null}
            Save
          </Button>
        ) : null}
      </form>
    </Card>
  );
}
