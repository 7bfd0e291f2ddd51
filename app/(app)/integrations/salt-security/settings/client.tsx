"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, PlugZap, RefreshCw, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import { ConfirmDialog, DangerZone, DangerZoneRow } from "@/components/integrations/confirm-dialog";
import { CredentialsStep } from "@/components/integrations/credentials-step";
import { DomainsStep } from "@/components/integrations/domains-step";
import { ApplicationLabelsStep } from "@/components/integrations/application-labels-step";
import { MappingStep } from "@/components/integrations/mapping-step";
import { Notice } from "@/components/integrations/notice";
import { SeveritiesStep } from "@/components/integrations/severities-step";
import { SetupChecklist } from "@/components/integrations/setup-checklist";
import { SyncSummary } from "@/components/integrations/sync-summary";
import { WebhookPanel } from "@/components/integrations/webhook-panel";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Time } from "@/components/ui/time";
import { formatCount } from "@/lib/format";
import { settingsSearchParams, type SettingsTab } from "./search-params";

const tabLabels: Record<SettingsTab, string> = {
  domains: "Configuration",
  credentials: "Credentials",
  mapping: "Status Mapping",
  severities: "Severity Filters",
  labels: "Labels",
  webhook: "Webhook",
};

export function IntegrationSettings() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const live = useQuery(trpc.integrations.live.queryOptions({ kind: "salt_security" }));
  const [{ tab, connected }, setParams] = useQueryStates(settingsSearchParams, { history: "replace" });
  const [confirmRemove, setConfirmRemove] = useState(false);
  const integrationId = live.data?.id ?? "";

  const check = useMutation(
    trpc.integrations.checkConnection.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.integrations.live.queryKey({ kind: "salt_security" }) }),
    }),
  );
  const sync = useMutation(
    trpc.sync.syncIntegration.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() }),
    }),
  );
  const remove = useMutation(
    trpc.integrations.remove.mutationOptions({
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
        Salt Security is not connected. <Link href="/integrations" className="font-medium underline">Back to integrations</Link>
      </Notice>
    );
  }

  return (
    <>
      <PageHeader
        title="Salt Security"
        description="Manage the connection, what is imported, and the webhook that keeps it current."
        actions={
          <>
            <Button variant="secondary" disabled={check.isPending} onClick={() => check.mutate({ id: integration.id })}>
              {check.isPending ? <Loader2 aria-hidden className="animate-spin" /> : <PlugZap aria-hidden />}
              Check connection
            </Button>
            <Button variant="secondary" disabled={sync.isPending} onClick={() => sync.mutate({ integrationId: integration.id })}>
              {sync.isPending ? <Loader2 aria-hidden className="animate-spin" /> : <RefreshCw aria-hidden />}
              Sync integration
            </Button>
          </>
        }
      />

      <div className="mb-5 space-y-3">
        {connected ? (
          <SetupChecklist integrationId={integration.id} onDismiss={() => void setParams({ connected: null })} />
        ) : null}
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
          <Badge tone="success">Connected</Badge>
          <span className="text-slate-600">
            Region <span className="font-medium text-slate-900">{integration.region?.toUpperCase()}</span>
          </span>
          <span className="text-slate-600">
            Write-back{" "}
            <span className="font-medium text-slate-900">{integration.canWriteBack ? "on" : "off (the key lacks perm-executor)"}</span>
          </span>
          <ReconciliationSetting integrationId={integration.id} hours={integration.settings.reconciliationIntervalHours} />
          <span className="text-slate-600">
            Last checked <Time date={integration.lastCheckedAt} className="font-medium text-slate-900" />
          </span>
        </div>
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
      </div>

      <Tabs value={tab} onValueChange={(value) => void setParams({ tab: value as SettingsTab, connected: null })}>
        <TabsList>
          {(Object.keys(tabLabels) as SettingsTab[]).map((t) => (
            <TabsTrigger key={t} value={t}>
              {tabLabels[t]}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="domains">
          <DomainsStep integration={integration} mode="settings" />
        </TabsContent>
        <TabsContent value="credentials">
          <CredentialsStep integration={integration} mode="settings" demoKey={null} />
        </TabsContent>
        <TabsContent value="mapping">
          <MappingStep integration={integration} mode="settings" />
        </TabsContent>
        <TabsContent value="severities">
          <SeveritiesStep integration={integration} mode="settings" />
        </TabsContent>
        <TabsContent value="labels">
          <ApplicationLabelsStep integration={integration} />
        </TabsContent>
        <TabsContent value="webhook">
          <WebhookPanel integrationId={integrationId} />
        </TabsContent>
      </Tabs>

      <DangerZone>
        <DangerZoneRow
          title="Remove integration"
          description="Stops syncing and writing statuses back to Salt, and forgets the API key and webhook token. Imported assets and issues stay."
          action={
            <Button variant="danger" onClick={() => setConfirmRemove(true)}>
              <Trash2 aria-hidden />
              Remove integration
            </Button>
          }
        />
      </DangerZone>

      <ConfirmDialog
        confirmText="Salt Security"
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title="Remove Salt Security?"
        description="Postura stops syncing and stops writing statuses back to Salt, and forgets the API key and webhook token. Imported assets and issues stay, marked as coming from a removed integration."
        actionLabel="Remove integration"
        pending={remove.isPending}
        error={remove.error?.message ?? null}
        onConfirm={() => remove.mutate({ id: integration.id })}
      />
    </>
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
