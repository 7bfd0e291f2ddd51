"use client";
// The top of the FQDN and API pages: breadcrumb, name, and the two cards (risk breakdown; details).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { useId } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { SourceText } from "@/components/ui/source-text";
import { type BusinessImpact, businessImpacts } from "@/db/schema/vocabulary";
import { businessImpactLabels, ImpactBadge } from "./badges";

export function Breadcrumb({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2">
      <ol className="flex min-w-0 items-center gap-1 text-sm text-slate-600">
        {items.map((item, i) => (
          // Only the last crumb (the page's own name, maybe long) gives way; the ones before stay whole.
          <li key={i} className={i === items.length - 1 ? "flex min-w-0 items-center gap-1" : "flex shrink-0 items-center gap-1"}>
            {i > 0 ? <ChevronRight className="size-3.5 shrink-0 text-slate-400" aria-hidden /> : null}
            {item.href ? (
              <Link href={item.href} className="truncate hover:text-slate-900 hover:underline" title={item.label}>
                <SourceText>{item.label}</SourceText>
              </Link>
            ) : (
              <span aria-current="page" className="truncate text-slate-900" title={item.label}>
                <SourceText>{item.label}</SourceText>
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A definition list row for the details card. */
export function Detail({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8.5rem_1fr] items-start gap-3 py-2">
      <dt className="text-sm text-slate-600">{term}</dt>
      <dd className="min-w-0 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export function BusinessImpactControl({ assetId, value, canEdit }: { assetId: string; value: BusinessImpact; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const selectId = useId();
  const mutation = useMutation(
    trpc.assets.setBusinessImpact.mutationOptions({
      // Every score of the domain and its APIs moved: refresh all asset and issue views.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.assets.pathKey() }),
    }),
  );
  if (!canEdit) return <ImpactBadge impact={value} />;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={selectId} className="sr-only">
        Business impact
      </label>
      <Select
        id={selectId}
        className="h-8 w-32"
        value={mutation.isPending ? mutation.variables.businessImpact : value}
        disabled={mutation.isPending}
        onChange={(e) => mutation.mutate({ id: assetId, businessImpact: e.target.value as BusinessImpact })}
      >
        {[...businessImpacts].reverse().map((impact) => (
          <option key={impact} value={impact}>
            {businessImpactLabels[impact]}
          </option>
        ))}
      </Select>
      <span role="status" className="text-xs text-slate-600">
        {mutation.isPending ? "Saving…" : mutation.isError ? <span className="text-red-700">{mutation.error.message}</span> : null}
      </span>
    </div>
  );
}

export function AssetCards({ risk, details }: { risk: React.ReactNode; details: React.ReactNode }) {
  return (
    <div className="mb-6 grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)]">
      <Card>
        <CardHeader>
          <CardTitle>Risk score</CardTitle>
        </CardHeader>
        <CardContent>{risk}</CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Details</CardTitle>
        </CardHeader>
        <CardContent className="py-2">
          <dl className="divide-y divide-slate-100">{details}</dl>
        </CardContent>
      </Card>
    </div>
  );
}

export function AssetHeaderSkeleton() {
  return (
    <div aria-hidden>
      <Skeleton className="mb-3 h-4 w-48" />
      <Skeleton className="mb-6 h-8 w-96" />
      <div className="mb-6 grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)]">
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
    </div>
  );
}
