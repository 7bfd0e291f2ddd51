"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PlugZap, RefreshCw } from "lucide-react";
import { useQueryStates } from "nuqs";
import { CredentialsStep } from "@/components/integrations/credentials-step";
import { DomainsStep } from "@/components/integrations/domains-step";
import { ApplicationLabelsStep } from "@/components/integrations/application-labels-step";
import { MappingStep } from "@/components/integrations/mapping-step";
import { Notice } from "@/components/integrations/notice";
import { SeveritiesStep } from "@/components/integrations/severities-step";
import { Fact, IntegrationSettingsLayout, NotConnected, useLiveIntegration } from "@/components/integrations/settings-layout";
import { SetupChecklist } from "@/components/integrations/setup-checklist";
import { SyncSummary } from "@/components/integrations/sync-summary";
import { WebhookPanel } from "@/components/integrations/webhook-panel";
import { useTRPC } from "@/components/trpc/client";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";
import { formatCount } from "@/lib/format";
import { settingsSearchParams } from "./search-params";

export function IntegrationSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { live, refresh, leave } = useLiveIntegration("salt_security");
  const [{ tab, connected }, setParams] = useQueryStates(settingsSearchParams, { history: "replace" });
  const integrationId = live.data?.id ?? "";

  const check = useMutation(trpc.integrations.checkConnection.mutationOptions({ onSuccess: refresh }));
  const sync = useMutation(
    trpc.sync.syncIntegration.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() }),
    }),
  );
  const remove = useMutation(trpc.integrations.remove.mutationOptions({ onSuccess: leave }));

  if (live.isPending) return <Skeleton className="h-96" />;
  const integration = live.data;
  if (!integration) return <NotConnected name="Salt Security" />;

  return (
    <IntegrationSettingsLayout
      name="Salt Security"
      description="Manage the connection, what is imported, and the webhook that keeps it current."
      actions={[
        { label: "Check connection", icon: PlugZap, pending: check.isPending, onClick: () => check.mutate({ id: integration.id }) },
        { label: "Sync integration", icon: RefreshCw, pending: sync.isPending, onClick: () => sync.mutate({ integrationId: integration.id }) },
      ]}
      facts={
        <>
          <Fact label="Region">{integration.region?.toUpperCase()}</Fact>
          <Fact label="Write-back">{integration.canWriteBack ? "on" : "off (the key lacks perm-executor)"}</Fact>
          <ReconciliationSetting integrationId={integration.id} hours={integration.settings.reconciliationIntervalHours} />
          <Fact label="Last checked">
            <Time date={integration.lastCheckedAt} />
          </Fact>
        </>
      }
      tab={tab}
      onTabChange={(value) => void setParams({ tab: value, connected: null })}
      tabs={[
        { value: "domains", label: "Configuration", content: <DomainsStep integration={integration} mode="settings" /> },
        { value: "credentials", label: "Credentials", content: <CredentialsStep integration={integration} mode="settings" demoKey={null} /> },
        { value: "mapping", label: "Status Mapping", content: <MappingStep integration={integration} mode="settings" /> },
        { value: "severities", label: "Severity Filters", content: <SeveritiesStep integration={integration} mode="settings" /> },
        { value: "labels", label: "Labels", content: <ApplicationLabelsStep integration={integration} /> },
        { value: "webhook", label: "Webhook", content: <WebhookPanel integrationId={integrationId} /> },
      ]}
      removal={{
        actionLabel: "Remove integration",
        rowTitle: "Remove integration",
        rowDescription: "Stops syncing and writing statuses back to Salt, and forgets the API key and webhook token. Imported assets and issues stay.",
        dialogTitle: "Remove Salt Security?",
        dialogDescription:
          "Postura stops syncing and stops writing statuses back to Salt, and forgets the API key and webhook token. Imported assets and issues stay, marked as coming from a removed integration.",
        pending: remove.isPending,
        error: remove.error?.message ?? null,
        onConfirm: () => remove.mutate({ id: integration.id }),
      }}
    >
      {connected ? <SetupChecklist integrationId={integration.id} onDismiss={() => void setParams({ connected: null })} /> : null}
      {check.data ? (
        check.data.ok ? (
          <Notice tone={check.data.warning ? "warning" : "success"} title="Connection OK">
            {check.data.warning ?? "Salt accepted the stored key."}
          </Notice>
        ) : (
          <Notice tone="danger" title="Connection failed">
            {check.data.message}
          </Notice>
        )
      ) : integration.lastCheckError ? (
        <Notice tone="danger" title="The last connection check failed">
          {integration.lastCheckError}
        </Notice>
      ) : null}
      {integration.webhookWarning ? (
        <Notice tone="warning" title="Salt changes are arriving without webhooks — check the Custom Webhook template">
          <p>Reconciliation found changes in Salt that no accepted webhook announced:</p>
          <ul className="mt-1 list-disc pl-5" data-testid="webhook-warning-domains">
            {integration.webhookWarning.domains.map((d) => (
              <li key={d.domain}>
                <span className="font-medium">{d.domain}</span>: {formatCount(d.changes, "change")}
                {d.since ? (
                  <>
                    {" since "}
                    <Time date={new Date(d.since)} format="dateTime" />
                  </>
                ) : null}
                , found <Time date={new Date(d.detectedAt)} />
              </li>
            ))}
          </ul>
          <p className="mt-1">Compare the template in the Webhook tab with Salt&apos;s Custom Webhook, and see the last rejected webhook there.</p>
        </Notice>
      ) : null}
      {sync.error ? <Notice tone="danger">{sync.error.message}</Notice> : null}
      <SyncSummary integrationId={integration.id} requesting={sync.isPending} nothingQueued={sync.data?.domains.length === 0} />
    </IntegrationSettingsLayout>
  );
}

const reconciliationChoices = [6, 12, 24, 48, 168, 0] as const;

/** How often a full re-sync looks for changes that arrived without a webhook. */
function ReconciliationSetting({ integrationId, hours }: { integrationId: string; hours: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(
    trpc.integrations.saveReconciliation.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.integrations.live.queryKey({ kind: "salt_security" }) }),
    }),
  );
  const choices: readonly number[] = reconciliationChoices.includes(hours as never) ? reconciliationChoices : [hours, ...reconciliationChoices];
  return (
    <label className="flex items-center gap-2 text-slate-600">
      Reconciliation
      <select
        className="h-7 rounded-md border border-slate-300 bg-white px-2 text-sm font-medium text-slate-900"
        value={save.isPending ? save.variables.reconciliationIntervalHours : hours}
        disabled={save.isPending}
        onChange={(e) => save.mutate({ id: integrationId, reconciliationIntervalHours: Number(e.target.value) })}
      >
        {choices.map((h) => (
          <option key={h} value={h}>
            {h === 0 ? "off" : h % 24 === 0 ? (h === 24 ? "daily" : `every ${h / 24} days`) : `every ${h} h`}
          </option>
        ))}
      </select>
    </label>
  );
}
