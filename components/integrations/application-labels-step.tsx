"use client";
// Labels: which Salt labels become applications (those under a prefix, "app:" by default); every label stays a tag.
// The table previews what each label the integration's assets carry would become under the prefix being typed.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Field } from "@/components/ui/field";
import { SourceText } from "@/components/ui/source-text";
import { Skeleton } from "@/components/ui/skeleton";
import { APPLICATION_LABEL_PREFIX_MAX, applicationLabelPrefix } from "@/lib/application-labels";
import { formatCount, formatNumber } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc-types";
import { Notice } from "./notice";
import { StepFooter, StepFrame } from "./step-frame";

type Integration = NonNullable<RouterOutputs["integrations"]["live"]>;

export function ApplicationLabelsStep({ integration }: { integration: Integration }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stored = applicationLabelPrefix(integration.settings);
  const [prefix, setPrefix] = useState(stored);
  const [saved, setSaved] = useState(false);
  const previewPrefix = useDeferredValue(prefix.trim());
  const preview = useQuery({
    ...trpc.integrations.labels.queryOptions({ id: integration.id, applicationLabelPrefix: previewPrefix }),
    placeholderData: keepPreviousData,
  });
  const save = useMutation(
    trpc.integrations.saveApplicationLabelPrefix.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        setSaved(true);
      },
    }),
  );
  const labels = preview.data?.labels ?? [];
  const applicationCount = new Set(labels.flatMap((l) => (l.application === null ? [] : [l.application]))).size;

  return (
    <StepFrame
      title="Labels"
      description="Salt labels become tags on the assets that carry them. Those that start with the prefix below also name an application, used to group FQDNs."
      footer={
        <StepFooter
          primaryLabel="Save rule"
          pending={save.isPending}
          pendingLabel="Saving…"
          disabled={prefix.trim() === stored}
          onPrimary={() => save.mutate({ id: integration.id, applicationLabelPrefix: prefix.trim() })}
        />
      }
    >
      <div className="max-w-md">
        <Field
          id="application-label-prefix"
          label="Labels that name an application start with"
          value={prefix}
          maxLength={APPLICATION_LABEL_PREFIX_MAX}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setPrefix(e.target.value);
            setSaved(false);
          }}
          hint='The application is the rest of the label: with "app:", the label "app:checkout" names the application "checkout". Leave it empty to make every label an application.'
          error={save.error?.message}
        />
      </div>

      <section aria-labelledby="label-preview-title" className="space-y-2">
        <h3 id="label-preview-title" className="text-sm font-medium text-slate-900">
          What the labels on this integration&apos;s assets become
          {preview.data ? (
            <span className="ml-2 font-normal text-slate-500">
              {formatCount(labels.length, "label")} · {formatCount(applicationCount, "application")}
            </span>
          ) : null}
        </h3>
        {preview.isPending ? (
          <Skeleton className="h-32 w-full" />
        ) : preview.error ? (
          <Notice tone="danger">{preview.error.message}</Notice>
        ) : labels.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
            No labels yet: they arrive with the first sync of your domains.
          </p>
        ) : (
          <div className="max-h-96 overflow-auto rounded-lg border border-slate-200" aria-busy={preview.isFetching}>
            <table className="w-full text-sm">
              <thead className="sticky top-0 bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-2">Label</th>
                  <th scope="col" className="px-4 py-2 text-right">Assets</th>
                  <th scope="col" className="px-4 py-2">Becomes</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {labels.map((l) => (
                  <tr key={l.label}>
                    <td className="px-4 py-2 font-mono text-xs text-slate-800">
                      <SourceText>{l.label}</SourceText>
                    </td>
                    <td className="px-4 py-2 text-right text-slate-600 tabular-nums">{formatNumber(l.assets)}</td>
                    <td className="px-4 py-2">
                      {l.application === null ? (
                        <span className="text-slate-500">Tag only</span>
                      ) : (
                        <span className="inline-flex items-center gap-2">
                          <Badge tone="brand">Application</Badge>
                          <SourceText>{l.application}</SourceText>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {saved ? (
        <Notice tone="success">Rule saved. Each domain&apos;s applications follow it from its next sync; Sync now applies it to every domain.</Notice>
      ) : null}
    </StepFrame>
  );
}
