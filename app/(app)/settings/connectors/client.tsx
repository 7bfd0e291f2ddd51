"use client";
// The Connectors workspace: connectors on the left (Tenable.io, selected), its settings form, the import with its
// progress and cancel, and the import history.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Loader2, Play, Square, Upload } from "lucide-react";
import { useState, useSyncExternalStore } from "react";
import { Notice } from "@/components/integrations/notice";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Time } from "@/components/ui/time";
import { SourceText } from "@/components/ui/source-text";
import { TENABLE_DEFAULT_BASE_URL, tenableConnectorInput } from "@/lib/connectors";
import { formatNumber } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc-types";

type Workspace = RouterOutputs["connectors"]["tenable"];
type ImportRun = RouterOutputs["connectors"]["runs"][number];

export function ConnectorsClient() {
  const trpc = useTRPC();
  const workspace = useQuery(trpc.connectors.tenable.queryOptions());
  if (!workspace.data) return <p className="text-sm text-slate-600">Loading connectors…</p>;
  return (
    <div className="grid gap-6 md:grid-cols-[14rem_minmax(0,1fr)]">
      <nav aria-label="Connectors">
        <ul className="space-y-1">
          <li>
            <span
              aria-current="page"
              className="flex items-center justify-between gap-2 rounded-md border border-brand-200 bg-brand-50 px-3 py-2 text-sm font-medium text-brand-800"
            >
              Tenable.io
              {workspace.data.connector?.saved ? <Badge tone="success">Saved</Badge> : <Badge>Not set up</Badge>}
            </span>
          </li>
        </ul>
      </nav>
      <div className="min-w-0 space-y-6">
        <TenableForm workspace={workspace.data} />
        <ImportPanel workspace={workspace.data} />
      </div>
    </div>
  );
}

function TenableForm({ workspace }: { workspace: Workspace }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const connector = workspace.connector;
  const [accessKey, setAccessKey] = useState("");
  const [secretKey, setSecretKey] = useState("");
  const [replacing, setReplacing] = useState(!connector?.keysStored);
  const [baseUrl, setBaseUrl] = useState(connector?.baseUrl ?? TENABLE_DEFAULT_BASE_URL);
  const [daysSince, setDaysSince] = useState(connector?.daysSince === null || connector === null ? "" : String(connector.daysSince));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Until React has hydrated, a submit would be the browser's own: never let that carry the keys anywhere.
  const hydrated = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
  const save = useMutation(
    trpc.connectors.saveTenable.mutationOptions({
      onSuccess: async (result) => {
        if (!result.ok) {
          setFailure(result.message);
          setSaved(false);
          return;
        }
        setFailure(null);
        setAccessKey("");
        setSecretKey("");
        setReplacing(false);
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.connectors.pathKey() });
      },
      onError: (e) => {
        setSaved(false);
        setFailure(e.message);
      },
    }),
  );
  const readOnly = !workspace.canManage;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const days = daysSince.trim();
    const parsed = tenableConnectorInput.safeParse({
      ...(replacing ? { accessKey, secretKey } : {}),
      baseUrl,
      daysSince: days === "" ? null : /^\d+$/.test(days) ? Number(days) : Number.NaN,
    });
    const fieldErrors: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    if (replacing && !accessKey.trim()) fieldErrors.accessKey ??= "Enter the access key.";
    if (replacing && !secretKey.trim()) fieldErrors.secretKey ??= "Enter the secret key.";
    setErrors(fieldErrors);
    if (!parsed.success || Object.keys(fieldErrors).length > 0) return;
    save.mutate(parsed.data);
  }

  return (
    <Card className="p-6">
      <h2 className="text-base font-semibold">Tenable.io</h2>
      <p className="mt-1 text-sm text-slate-600">
        Postura authenticates the keys with Tenable.io before saving them, and stores them encrypted; they are never shown again.
      </p>
      {readOnly ? (
        <Notice tone="info" className="mt-4" title="Read only">
          {workspace.manageRefusal}
        </Notice>
      ) : null}
      <form className="mt-5 max-w-xl space-y-4" onSubmit={submit} noValidate aria-label="Tenable.io connector">
        {replacing ? (
          <>
            <Field
              id="tenable-access-key"
              label="Access Key"
              autoComplete="off"
              spellCheck={false}
              value={accessKey}
              onChange={(e) => setAccessKey(e.target.value)}
              error={errors.accessKey}
              disabled={readOnly}
            />
            <Field
              id="tenable-secret-key"
              label="Secret Key"
              type="password"
              autoComplete="off"
              value={secretKey}
              onChange={(e) => setSecretKey(e.target.value)}
              error={errors.secretKey}
              hint="From Tenable Vulnerability Management → Settings → My Account → API Keys."
              disabled={readOnly}
            />
            {connector?.keysStored ? (
              <Button type="button" variant="link" size="sm" onClick={() => setReplacing(false)}>
                Keep the stored keys
              </Button>
            ) : null}
          </>
        ) : (
          <div className="flex items-center justify-between gap-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
            <span className="flex items-center gap-2 text-slate-700">
              <KeyRound aria-hidden className="size-4 text-slate-500" /> Access key and secret key stored (encrypted)
            </span>
            {readOnly ? null : (
              <Button type="button" variant="secondary" size="sm" onClick={() => setReplacing(true)}>
                Replace keys
              </Button>
            )}
          </div>
        )}
        <Field
          id="tenable-base-url"
          label="Base URL"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          error={errors.baseUrl}
          hint={`Base URL for API requests; defaults to ${TENABLE_DEFAULT_BASE_URL}.`}
          disabled={readOnly}
        />
        <Field
          id="tenable-days-since"
          label="Days since"
          inputMode="numeric"
          value={daysSince}
          onChange={(e) => setDaysSince(e.target.value)}
          error={errors.daysSince}
          hint="Query scan history beginning this number of days ago. Leave blank to query an unlimited period of time."
          disabled={readOnly}
          className="block w-40"
        />
        {failure ? (
          <Notice tone="danger" title="Not saved.">
            {failure}
          </Notice>
        ) : null}
        {saved ? (
          <Notice tone="success" title="Saved.">
            Tenable.io accepted the keys. You can now import scan results.
          </Notice>
        ) : null}
        {readOnly ? null : (
          <Button type="submit" disabled={!hydrated || save.isPending}>
            {save.isPending ? <Loader2 aria-hidden className="animate-spin" /> : null}
            {save.isPending ? "Checking with Tenable.io…" : "Save"}
          </Button>
        )}
      </form>
    </Card>
  );
}

const ACTIVE = new Set(["queued", "running"]);

function ImportPanel({ workspace }: { workspace: Workspace }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery({
    ...trpc.connectors.runs.queryOptions(),
    // Poll only while an import is queued or running.
    refetchInterval: (query) => (query.state.data?.some((r) => ACTIVE.has(r.state)) ? 1000 : false),
  });
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.connectors.runs.queryKey() });
  const start = useMutation(
    trpc.connectors.importTenable.mutationOptions({
      onSuccess: () => {
        setFailure(null);
        return refresh();
      },
      onError: (e) => setFailure(e.message),
    }),
  );
  const cancel = useMutation(
    trpc.connectors.cancelImport.mutationOptions({ onSuccess: () => refresh(), onError: (e) => setFailure(e.message) }),
  );
  const exportAssets = useMutation(
    trpc.connectors.exportAssets.mutationOptions({
      onSuccess: (result) => {
        setFailure(result.error ? result.error.message : null);
        return refresh();
      },
      onError: (e) => setFailure(e.message),
    }),
  );
  const saved = workspace.connector?.saved === true;
  const active = runs.data?.find((r) => r.kind === "import" && ACTIVE.has(r.state)) ?? null;
  const reason = !workspace.canImport ? workspace.importRefusal : !saved ? "Save the connector before importing." : null;

  return (
    <Card className="p-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 className="text-base font-semibold">Import scan results</h2>
          <p className="mt-1 max-w-xl text-sm text-slate-600">
            Postura imports the most recent result per host within Days since. It does not poll Tenable.io: run the import again after each scan.
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <Button
            onClick={() => start.mutate()}
            disabled={reason !== null || start.isPending || active !== null}
            aria-describedby={reason ? "import-refusal" : undefined}
          >
            <Play aria-hidden /> Import scan results
          </Button>
          {reason ? (
            <p id="import-refusal" className="max-w-xs text-right text-xs text-slate-500">
              {reason}
            </p>
          ) : null}
        </div>
      </div>
      {workspace.canManage && saved ? (
        <div className="mt-4 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4 text-sm text-slate-600">
          <Button variant="secondary" size="sm" onClick={() => exportAssets.mutate()} disabled={exportAssets.isPending}>
            {exportAssets.isPending ? <Loader2 aria-hidden className="animate-spin" /> : <Upload aria-hidden />} Export assets to Tenable.io
          </Button>
          <span aria-live="polite">
            {exportAssets.data && !exportAssets.data.error
              ? `Sent ${formatNumber(exportAssets.data.sent)} assets in ${exportAssets.data.jobs.length} asset-import job${exportAssets.data.jobs.length === 1 ? "" : "s"}.`
              : "Sends your FQDN and host assets (fqdn, IPv4) so Tenable.io can scan what Salt discovered."}
          </span>
        </div>
      ) : null}
      {failure ? (
        <Notice tone="danger" className="mt-4" title="That did not work.">
          {failure}
        </Notice>
      ) : null}
      {active ? (
        <ImportProgress run={active} canCancel={workspace.canImport} cancelling={cancel.isPending} onCancel={() => cancel.mutate({ runId: active.id })} />
      ) : null}
      <ImportHistory runs={runs.data ?? []} loading={!runs.data} />
    </Card>
  );
}

function ImportProgress({ run, canCancel, cancelling, onCancel }: { run: ImportRun; canCancel: boolean; cancelling: boolean; onCancel: () => void }) {
  const total = run.progressTotal;
  const pct = total ? Math.min(100, Math.round((run.progressDone / total) * 100)) : 0;
  const label =
    run.state === "queued"
      ? "Waiting for a worker…"
      : total
        ? `Importing: ${run.progressDone} of ${total} chunks`
        : "Tenable.io is preparing the export…";
  return (
    <div className="mt-4 rounded-lg border border-brand-100 bg-brand-50/50 px-4 py-3 text-sm" role="status" data-testid="import-progress">
      <div className="flex items-center justify-between gap-3">
        <span className="flex items-center gap-2 font-medium text-slate-900">
          <Loader2 aria-hidden className="size-4 animate-spin text-brand-600" />
          {run.cancelRequestedAt ? "Cancelling after the chunk in hand…" : label}
        </span>
        {canCancel && !run.cancelRequestedAt ? (
          <Button variant="secondary" size="sm" onClick={onCancel} disabled={cancelling}>
            <Square aria-hidden /> Cancel import
          </Button>
        ) : null}
      </div>
      <div
        className="mt-2 h-1.5 overflow-hidden rounded-full bg-brand-100"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total ? run.progressDone : undefined}
      >
        <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

const stateTone = { queued: "neutral", running: "brand", succeeded: "success", partial: "warning", failed: "danger" } as const;
const stateLabel = { queued: "Queued", running: "Running", succeeded: "Succeeded", partial: "Partial", failed: "Failed" } as const;

function ImportHistory({ runs, loading }: { runs: ImportRun[]; loading: boolean }) {
  return (
    <section aria-labelledby="import-history-heading" className="mt-6">
      <h3 id="import-history-heading" className="text-sm font-semibold">
        Import history
      </h3>
      {loading ? (
        <p className="mt-2 text-sm text-slate-600">Loading imports…</p>
      ) : runs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No imports yet.</p>
      ) : (
        // Scrolls sideways on a phone; focusable so the keyboard can scroll it (it holds nothing focusable).
        <div className="mt-2 overflow-x-auto focus-visible:outline-2 focus-visible:outline-brand-600" tabIndex={0} role="region" aria-label="Imports, scrollable">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">Started</th>
                <th scope="col" className="py-2 pr-3 font-medium">State</th>
                <th scope="col" className="py-2 pr-3 font-medium">Kind</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">New</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">Updated</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">Closed</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">Reopened</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">Unchanged</th>
                <th scope="col" className="py-2 font-medium">Errors and details</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className="border-b border-slate-100 align-top">
                  <td className="py-2 pr-3 whitespace-nowrap">
                    <Time date={run.startedAt ?? run.queuedAt} />
                  </td>
                  <td className="py-2 pr-3">
                    <Badge tone={stateTone[run.state]}>{stateLabel[run.state]}</Badge>
                  </td>
                  <td className="py-2 pr-3 whitespace-nowrap text-slate-700">{run.kind === "import" ? "Import" : "Asset export"}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(run.counts?.issuesCreated ?? 0)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(run.counts?.issuesUpdated ?? 0)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(run.counts?.issuesClosed ?? 0)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(run.counts?.issuesReopened ?? 0)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(run.counts?.issuesUnchanged ?? 0)}</td>
                  <td className="max-w-sm py-2 text-slate-700">
                    {run.errorMessage ? <SourceText>{run.errorMessage}</SourceText> : null}
                    {run.kind === "asset_export" && run.exportRef ? (
                      <span className="block text-xs text-slate-500">
                        Sent {formatNumber(run.counts?.assetsUpdated ?? 0)} assets; job <SourceText className="font-mono">{run.exportRef}</SourceText>
                      </span>
                    ) : null}
                    {!run.errorMessage && !(run.kind === "asset_export" && run.exportRef) ? <span className="text-slate-400">—</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
