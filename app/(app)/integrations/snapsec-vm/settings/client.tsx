"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Loader2, PlugZap, Send, Trash2, XCircle } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import { ConfirmDialog, DangerZone, DangerZoneRow } from "@/components/integrations/confirm-dialog";
import { Notice } from "@/components/integrations/notice";
import { SeveritiesStep, vmSeverityCopy } from "@/components/integrations/severities-step";
import { VmAssessmentsStep, VmCredentialsStep, VmHeadersStep, VmStatusStep } from "@/components/integrations/snapsec-vm-steps";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Time } from "@/components/ui/time";
import { vmWizardStepLabels, vmWizardSteps, type VmWizardStep } from "@/lib/integration-wizard";
import { vmSettingsSearchParams } from "./search-params";

export function VmSettings() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const live = useQuery(trpc.integrations.live.queryOptions({ kind: "snapsec_vm" }));
  const [{ tab, connected }, setParams] = useQueryStates(vmSettingsSearchParams, { history: "replace" });
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const id = live.data?.id ?? "";
  const test = useMutation(
    trpc.snapsecVm.testConnection.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.integrations.live.queryKey({ kind: "snapsec_vm" }) }),
    }),
  );
  const backfill = useMutation(
    trpc.snapsecVm.backfill.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.snapsecVm.progress.queryKey({ id }) }),
    }),
  );
  // While anything waits to be pushed, the counts refresh every 2 s.
  const progress = useQuery({
    ...trpc.snapsecVm.progress.queryOptions({ id }),
    enabled: id !== "",
    refetchInterval: (query) => ((query.state.data?.waiting ?? 0) > 0 || backfill.isPending ? 2_000 : false),
  });
  const disconnect = useMutation(
    trpc.snapsecVm.disconnect.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        router.push("/integrations");
      },
    }),
  );

  if (live.isPending) return <Skeleton className="h-96" />;
  const integration = live.data;
  if (!integration) {
    return (
      <Notice tone="info">
        Snapsec VM is not connected.{" "}
        <Link href="/integrations" className="font-medium underline">
          Back to integrations
        </Link>
      </Notice>
    );
  }
  const counts = progress.data;

  return (
    <>
      <PageHeader
        title="Snapsec VM"
        description="Where Postura's issues are forwarded, which ones, and how their status follows."
        actions={
          <>
            <Button variant="secondary" disabled={test.isPending} onClick={() => test.mutate({ id: integration.id })}>
              {test.isPending ? <Loader2 aria-hidden className="animate-spin" /> : <PlugZap aria-hidden />}
              Test connection
            </Button>
            <Button variant="secondary" disabled={backfill.isPending} onClick={() => backfill.mutate({ id: integration.id })}>
              {backfill.isPending ? <Loader2 aria-hidden className="animate-spin" /> : <Send aria-hidden />}
              Forward existing issues
            </Button>
          </>
        }
      />
      <div className="mb-5 space-y-3">
        {connected ? (
          <Notice tone="success" title="Snapsec VM is connected">
            New and changed issues are forwarded from now on. To send the issues you already have, use Forward existing issues.
          </Notice>
        ) : null}
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
          <Badge tone="success">Connected</Badge>
          <span className="text-slate-600">
            Workspace <span className="font-medium break-all text-slate-900">{integration.baseUrl}</span>
          </span>
          <span className="text-slate-600">
            Auto-sync <span className="font-medium text-slate-900">{integration.forwarding?.autoSync ? "on" : "off"}</span>
          </span>
          <span className="text-slate-600">
            Last checked <Time date={integration.lastCheckedAt} className="font-medium text-slate-900" />
          </span>
        </div>
        <section aria-label="Forwarding progress" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
          {counts ? (
            <p className="text-slate-700" role="status">
              <span className="font-medium text-slate-900">{counts.forwarded}</span> of {counts.issues} issues in Snapsec VM ·{" "}
              {counts.waiting > 0 ? (
                <>
                  <span className="font-medium text-slate-900">{counts.waiting}</span> waiting to be forwarded ·{" "}
                </>
              ) : null}
              {counts.filtered} filtered out by severity · {counts.failed} failed
              {backfill.data ? ` · ${backfill.data.queued} queued by Forward existing issues` : ""}
            </p>
          ) : (
            <Skeleton className="h-5 w-64" />
          )}
        </section>
        {backfill.error ? <Notice tone="danger">{backfill.error.message}</Notice> : null}
        {test.data ? (
          <section aria-label="Connection test" className="rounded-lg border border-slate-200 bg-white px-4 py-3">
            <h2 className="mb-2 text-sm font-semibold text-slate-900">Connection test</h2>
            <ul className="space-y-1.5 text-sm">
              {test.data.checks.map((c) => (
                <li key={c.check} className="flex items-start gap-2">
                  {c.ok ? <CheckCircle2 aria-label="Passed" className="mt-0.5 size-4 shrink-0 text-emerald-600" /> : <XCircle aria-label="Failed" className="mt-0.5 size-4 shrink-0 text-red-600" />}
                  <span className="text-slate-700">{c.message}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : integration.lastCheckError ? (
          <Notice tone="danger" title="The last connection test failed">
            {integration.lastCheckError}
          </Notice>
        ) : null}
        {test.error ? <Notice tone="danger">{test.error.message}</Notice> : null}
      </div>

      <Tabs value={tab} onValueChange={(value) => void setParams({ tab: value as VmWizardStep, connected: null })}>
        <TabsList>
          {vmWizardSteps.map((t) => (
            <TabsTrigger key={t} value={t}>
              {vmWizardStepLabels[t]}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="credentials">
          <VmCredentialsStep integration={integration} mode="settings" demo={null} />
        </TabsContent>
        <TabsContent value="headers">
          <VmHeadersStep integration={integration} mode="settings" />
        </TabsContent>
        <TabsContent value="assessments">
          <VmAssessmentsStep integration={integration} mode="settings" />
        </TabsContent>
        <TabsContent value="severities">
          <SeveritiesStep integration={integration} mode="settings" copy={vmSeverityCopy} />
        </TabsContent>
        <TabsContent value="status">
          <VmStatusStep integration={integration} mode="settings" />
        </TabsContent>
      </Tabs>

      <DangerZone>
        <DangerZoneRow
          title="Disconnect Snapsec VM"
          description="Stops forwarding, and forgets the key and custom headers. What Snapsec VM already has stays there."
          action={
            <Button variant="danger" onClick={() => setConfirmDisconnect(true)}>
              <Trash2 aria-hidden />
              Disconnect
            </Button>
          }
        />
      </DangerZone>

      <ConfirmDialog
        confirmText="Snapsec VM"
        open={confirmDisconnect}
        onOpenChange={setConfirmDisconnect}
        title="Disconnect Snapsec VM?"
        description="Postura stops forwarding and forgets the key and custom headers. What Snapsec VM already has stays there."
        actionLabel="Disconnect"
        pending={disconnect.isPending}
        error={disconnect.error?.message ?? null}
        onConfirm={() => disconnect.mutate({ id: integration.id })}
      />
    </>
  );
}
