"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, PlugZap, Send, XCircle } from "lucide-react";
import { useQueryStates } from "nuqs";
import { Notice } from "@/components/integrations/notice";
import { Fact, IntegrationSettingsLayout, NotConnected, useLiveIntegration } from "@/components/integrations/settings-layout";
import { SeveritiesStep, vmSeverityCopy } from "@/components/integrations/severities-step";
import { VmAssessmentsStep, VmCredentialsStep, VmHeadersStep, VmStatusStep } from "@/components/integrations/snapsec-vm-steps";
import { useTRPC } from "@/components/trpc/client";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";
import { vmWizardStepLabels, vmWizardSteps, type VmWizardStep } from "@/lib/integration-wizard";
import { vmSettingsSearchParams } from "./search-params";

export function VmSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { live, refresh, leave } = useLiveIntegration("snapsec_vm");
  const [{ tab, connected }, setParams] = useQueryStates(vmSettingsSearchParams, { history: "replace" });
  const id = live.data?.id ?? "";
  const test = useMutation(trpc.snapsecVm.testConnection.mutationOptions({ onSuccess: refresh }));
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
  const disconnect = useMutation(trpc.snapsecVm.disconnect.mutationOptions({ onSuccess: leave }));

  if (live.isPending) return <Skeleton className="h-96" />;
  const integration = live.data;
  if (!integration) return <NotConnected name="Snapsec VM" />;
  const counts = progress.data;
  const tabContent: Record<VmWizardStep, React.ReactNode> = {
    credentials: <VmCredentialsStep integration={integration} mode="settings" demo={null} />,
    headers: <VmHeadersStep integration={integration} mode="settings" />,
    assessments: <VmAssessmentsStep integration={integration} mode="settings" />,
    severities: <SeveritiesStep integration={integration} mode="settings" copy={vmSeverityCopy} />,
    status: <VmStatusStep integration={integration} mode="settings" />,
  };

  return (
    <IntegrationSettingsLayout
      name="Snapsec VM"
      description="Where Postura's issues are forwarded, which ones, and how their status follows."
      actions={[
        { label: "Test connection", icon: PlugZap, pending: test.isPending, onClick: () => test.mutate({ id: integration.id }) },
        { label: "Forward existing issues", icon: Send, pending: backfill.isPending, onClick: () => backfill.mutate({ id: integration.id }) },
      ]}
      facts={
        <>
          <Fact label="Workspace">{integration.baseUrl}</Fact>
          <Fact label="Auto-sync">{integration.forwarding?.autoSync ? "on" : "off"}</Fact>
          <Fact label="Last checked">
            <Time date={integration.lastCheckedAt} />
          </Fact>
        </>
      }
      tab={tab}
      onTabChange={(value) => void setParams({ tab: value, connected: null })}
      tabs={vmWizardSteps.map((step) => ({ value: step, label: vmWizardStepLabels[step], content: tabContent[step] }))}
      removal={{
        actionLabel: "Disconnect",
        rowTitle: "Disconnect Snapsec VM",
        rowDescription: "Stops forwarding, and forgets the key and custom headers. What Snapsec VM already has stays there.",
        dialogTitle: "Disconnect Snapsec VM?",
        dialogDescription: "Postura stops forwarding and forgets the key and custom headers. What Snapsec VM already has stays there.",
        pending: disconnect.isPending,
        error: disconnect.error?.message ?? null,
        onConfirm: () => disconnect.mutate({ id: integration.id }),
      }}
    >
      {connected ? (
        <Notice tone="success" title="Snapsec VM is connected">
          New and changed issues are forwarded from now on. To send the issues you already have, use Forward existing issues.
        </Notice>
      ) : null}
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
    </IntegrationSettingsLayout>
  );
}
