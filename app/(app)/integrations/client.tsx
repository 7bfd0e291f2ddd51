"use client";
import { useQuery } from "@tanstack/react-query";
import { Search, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import { ImportButton } from "@/components/integrations/import-button";
import { Notice } from "@/components/integrations/notice";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import type { RouterOutputs } from "@/lib/trpc-types";
import { catalogSearchParams } from "./search-params";

type Entry = RouterOutputs["integrations"]["catalog"][number];

export function IntegrationsCatalog({ canManage, canImport = false }: { canManage: boolean; canImport?: boolean }) {
  const trpc = useTRPC();
  const catalog = useQuery(trpc.integrations.catalog.queryOptions());
  const [{ q }, setParams] = useQueryStates(catalogSearchParams, { history: "replace" });
  const needle = q.trim().toLowerCase();
  const entries = (catalog.data ?? []).filter((e) =>
    needle === "" ? true : [e.name, e.category, e.description].some((text) => text.toLowerCase().includes(needle)),
  );

  return (
    <div className="space-y-5">
      <div className="relative max-w-sm">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
        <Input
          type="search"
          aria-label="Search integrations"
          placeholder="Search integrations"
          className="pl-9"
          value={q}
          onChange={(e) => void setParams({ q: e.target.value || null })}
        />
      </div>
      {!canManage ? (
        <Notice tone="info" live="none" className="max-w-3xl">
          Only admins can connect or change integrations. You can see what is connected.
        </Notice>
      ) : null}
      {catalog.isPending ? (
        <Skeleton className="h-44 max-w-sm" />
      ) : catalog.error ? (
        <Notice tone="danger">{catalog.error.message}</Notice>
      ) : entries.length === 0 ? (
        <p className="text-sm text-slate-600">No integration matches “{q}”.</p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {entries.map((entry) => (
            <li key={entry.kind}>
              <IntegrationCard entry={entry} canManage={canManage} canImport={canImport} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function IntegrationCard({ entry, canManage, canImport }: { entry: Entry; canManage: boolean; canImport: boolean }) {
  const state = entry.integration?.state ?? null;
  const base = `/integrations/${entry.slug}`;
  return (
    <Card className="flex h-full flex-col" aria-labelledby={`integration-${entry.kind}`}>
      <div className="flex items-start gap-3 px-5 pt-5">
        <div className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-teal-600 text-white">
          <ShieldCheck aria-hidden className="size-5" />
        </div>
        <div className="min-w-0 flex-1">
          <h2 id={`integration-${entry.kind}`} className="text-base font-semibold text-slate-900">
            {entry.name}
          </h2>
          <p className="text-xs text-slate-500">{entry.category}</p>
        </div>
        {state === "connected" ? <Badge tone="success">Connected</Badge> : state === "draft" ? <Badge tone="warning">Setup in progress</Badge> : null}
      </div>
      <p className="flex-1 px-5 pt-3 pb-4 text-sm text-slate-600">{entry.description}</p>
      <div className="flex items-center justify-end gap-2 border-t border-slate-100 px-5 py-3">
        {canManage ? (
          state === "connected" ? (
            <Button asChild variant="secondary" size="sm">
              <Link href={`${base}/settings`}>Settings</Link>
            </Button>
          ) : (
            <Button asChild size="sm">
              <Link href={`${base}/connect`}>{state === "draft" ? "Continue setup" : "Connect"}</Link>
            </Button>
          )
        ) : canImport && state === "connected" && entry.integration && entry.kind === "salt_security" ? (
          <ImportButton integrationId={entry.integration.id} />
        ) : (
          <span className="text-xs text-slate-500">{state === "connected" ? "Managed by your admins" : "Not connected"}</span>
        )}
      </div>
    </Card>
  );
}
