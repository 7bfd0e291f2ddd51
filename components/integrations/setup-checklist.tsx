"use client";
// After "Finish setup": what is done and what is left, from real state (the domains and their runs, the webhook's
// deliveries, the open issues) rather than a message that assumes it. Shown on the settings page until hidden.
import { useMutation, useQuery } from "@tanstack/react-query";
import { ArrowRight, Check, Circle, Loader2, X } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Time } from "@/components/ui/time";
import { formatCount, formatNumber } from "@/lib/format";
import { WEBHOOK_TEST_EVENT } from "@/lib/integration-wizard";
import { CopyButton } from "./copy-button";
import { latestRunByDomain, useSyncRuns } from "./domains-step";
import { CopyTemplateButton, SendTestEvent, UnreachableWarning } from "./webhook-panel";

type ItemState = "done" | "active" | "todo" | "problem";

const OPEN_ISSUES = "/issues?status=identified,in_progress&source=salt_security";

export function SetupChecklist({
  integrationId,
  onDismiss,
}: {
  integrationId: string;
  onDismiss: () => void;
}) {
  const trpc = useTRPC();
  const domains = useQuery(trpc.integrations.domains.queryOptions({ id: integrationId }));
  const runs = useSyncRuns(integrationId);
  const webhook = useQuery({
    ...trpc.integrations.webhook.queryOptions({ id: integrationId }),
    // Until something arrives, look again every few seconds: Salt's own test shows up without a reload.
    refetchInterval: (query) => (query.state.data?.lastReceived ? false : 4000),
  });
  const openIssues = useQuery(trpc.issues.list.queryOptions({ state: "open", sources: ["salt_security"] }));
  const reveal = useMutation(trpc.integrations.revealWebhookToken.mutationOptions());
  const [token, setToken] = useState<string | null>(null);
  async function currentToken() {
    if (token) return token;
    const { token: revealed } = await reveal.mutateAsync({ id: integrationId });
    setToken(revealed);
    return revealed;
  }

  // 1. Domains added and synced: every associated domain's newest run has finished.
  const hosts = domains.data ?? [];
  const latest = latestRunByDomain(runs.data);
  const newest = hosts.map((d) => latest.get(d.host));
  const finished = newest.filter((r) => r && r.state !== "queued" && r.state !== "running");
  const failed = finished.filter((r) => r!.state === "failed").length;
  const domainsState: ItemState | null =
    domains.isPending || runs.isPending
      ? null
      : hosts.length === 0
        ? "todo"
        : finished.length < hosts.length
          ? "active"
          : failed > 0
            ? "problem"
            : "done";
  const domainsText =
    domainsState === null
      ? "Checking the domains…"
      : domainsState === "todo"
        ? "No domains yet: add the domains to import with Add project, below."
        : domainsState === "active"
          ? `Syncing: ${finished.length} of ${formatCount(hosts.length, "domain")} done…`
          : domainsState === "problem"
            ? `${formatCount(hosts.length, "domain")} added; the sync of ${failed} failed. The table below says why.`
            : `${formatCount(hosts.length, "domain")} added and synced.`;

  // 2. Webhook: done once any delivery was received (a test event, or Salt's own).
  const received = webhook.data?.lastReceived ?? null;
  const webhookState: ItemState = received ? "done" : "todo";

  // 3. The issues the sync brought in.
  const open = openIssues.data;

  return (
    <Card role="region" aria-labelledby="setup-checklist-title" data-testid="setup-checklist">
      <CardHeader className="flex-row items-start justify-between gap-3">
        <div>
          <CardTitle id="setup-checklist-title">Salt Security is connected: finish setting up</CardTitle>
          <CardDescription>Each step turns green as it happens.</CardDescription>
        </div>
        <Button type="button" variant="ghost" size="sm" onClick={onDismiss} aria-label="Hide the checklist">
          <X aria-hidden />
          Hide
        </Button>
      </CardHeader>
      <CardContent className="py-2">
        <ol className="divide-y divide-slate-100">
          <Item n={1} state={domainsState} title="Domains added and synced">
            <p role="status">{domainsText}</p>
          </Item>
          <Item n={2} state={webhookState} title="Webhook set up in Salt">
            <p>
              In Salt: Settings → Integrations → Custom Webhook. Paste the URL and the template, then send a test event from here or
              from Salt.
            </p>
            {webhook.data ? (
              <>
                {webhook.data.unreachable ? <UnreachableWarning reason={webhook.data.unreachable} /> : null}
                <div className="flex flex-wrap items-center gap-2">
                  <code className="min-w-0 truncate rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-800">{webhook.data.url}</code>
                  <CopyButton value={webhook.data.url} label="Copy webhook URL" />
                  <CopyTemplateButton companyId={webhook.data.companyId} getToken={currentToken} />
                </div>
                <SendTestEvent integrationId={integrationId} />
                <p role="status" className={cn("font-medium", received ? "text-emerald-700" : "text-slate-600")}>
                  {received ? (
                    <>
                      {received.event === WEBHOOK_TEST_EVENT ? "Test received" : "Webhook received from Salt"} <Time date={received.receivedAt} /> ✓
                    </>
                  ) : (
                    "Waiting for the first webhook…"
                  )}
                </p>
              </>
            ) : null}
          </Item>
          <Item n={3} state={open && open.total > 0 && domainsState === "done" ? "done" : "todo"} title="Review what Salt found">
            {open ? (
              open.total > 0 ? (
                <Link href={OPEN_ISSUES} className="inline-flex items-center gap-1 font-medium text-brand-700 hover:underline">
                  View {formatNumber(open.total)}
                  {open.totalCapped ? "+" : ""} open {open.total === 1 ? "issue" : "issues"}
                  <ArrowRight aria-hidden className="size-4" />
                </Link>
              ) : (
                <p>{domainsState === "done" ? "No open issues from Salt: nothing to fix right now." : "Open issues appear here once the domains are synced."}</p>
              )
            ) : (
              <p>Counting open issues…</p>
            )}
          </Item>
        </ol>
      </CardContent>
    </Card>
  );
}

const stateLabels: Record<ItemState, string> = { done: "done", active: "in progress", todo: "to do", problem: "needs attention" };

function Item({ n, state, title, children }: { n: number; state: ItemState | null; title: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-3 py-3" data-state={state ?? "loading"}>
      <span
        className={cn(
          "mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold",
          state === "done"
            ? "bg-emerald-100 text-emerald-700"
            : state === "problem"
              ? "bg-amber-100 text-amber-800"
              : state === "active"
                ? "bg-brand-100 text-brand-700"
                : "bg-slate-100 text-slate-600",
        )}
        aria-hidden
      >
        {state === "done" ? <Check className="size-3.5" /> : state === "active" || state === null ? <Loader2 className="size-3.5 animate-spin" /> : state === "problem" ? "!" : <Circle className="size-3" />}
      </span>
      <div className="min-w-0 flex-1 space-y-2 text-sm text-slate-700">
        <h3 className="font-medium text-slate-900">
          <span className="sr-only">Step {n}: </span>
          {title}
          {state ? <span className="sr-only"> ({stateLabels[state]})</span> : null}
        </h3>
        {children}
      </div>
    </li>
  );
}
