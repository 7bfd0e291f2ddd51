"use client";
// Webhook: what to paste into Salt's Custom Webhook (URL, company id, token, the JSON template) and what arrived.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Copy, Eye, EyeOff, Loader2, RefreshCw, Send } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";
import { saltWebhookTemplate } from "@/lib/integration-wizard";
import type { RouterOutputs } from "@/lib/trpc-types";
import { CopyButton } from "./copy-button";
import { Notice } from "./notice";
import { StepFrame } from "./step-frame";

type Delivery = RouterOutputs["integrations"]["webhook"]["lastReceived"];
const MASK = "••••••••••••••••••••••••";

export function WebhookPanel({ integrationId }: { integrationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const webhook = useQuery(trpc.integrations.webhook.queryOptions({ id: integrationId }));
  const [token, setToken] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [rotated, setRotated] = useState(false);
  const reveal = useMutation(trpc.integrations.revealWebhookToken.mutationOptions());
  const rotate = useMutation(
    trpc.integrations.rotateWebhookToken.mutationOptions({
      onSuccess: async () => {
        const fresh = await reveal.mutateAsync({ id: integrationId });
        setToken(fresh.token);
        setShown(true);
        setRotated(true);
        setConfirmRotate(false);
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.webhook.queryKey({ id: integrationId }) });
      },
    }),
  );

  async function currentToken(): Promise<string> {
    if (token) return token;
    const { token: revealed } = await reveal.mutateAsync({ id: integrationId });
    setToken(revealed);
    return revealed;
  }

  if (webhook.isPending) return <Skeleton className="h-96" />;
  if (webhook.error) return <Notice tone="danger">{webhook.error.message}</Notice>;
  const info = webhook.data;
  const template = saltWebhookTemplate({ companyId: info.companyId, webhookToken: shown && token ? token : "<your webhook token>" });

  return (
    <StepFrame
      title="Webhook"
      description="Salt calls this webhook when a posture gap changes, and Postura re-syncs only that domain. In Salt: Settings → Integrations → Custom Webhook."
    >
      {info.unreachable ? <UnreachableWarning reason={info.unreachable} /> : null}
      <dl className="grid max-w-3xl grid-cols-1 gap-4">
        <Field label="Webhook URL">
          <code className="min-w-0 flex-1 truncate font-mono text-sm">{info.url}</code>
          <CopyButton value={info.url} label="Copy webhook URL" />
        </Field>
        <Field label="Company ID">
          <code className="min-w-0 flex-1 truncate font-mono text-sm">{info.companyId}</code>
          <CopyButton value={info.companyId} label="Copy company ID" />
        </Field>
        <Field label="Webhook token">
          <code className="min-w-0 flex-1 truncate font-mono text-sm" aria-label={shown && token ? "Webhook token" : "Webhook token, hidden"}>
            {shown && token ? token : MASK}
          </code>
          <Button
            type="button"
            variant="secondary"
            size="sm"
            disabled={reveal.isPending}
            onClick={async () => {
              if (!shown) await currentToken();
              setShown(!shown);
            }}
          >
            {shown ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
            {shown ? "Hide" : "Reveal"}
          </Button>
          <AsyncCopyButton label="Copy webhook token" getValue={currentToken} />
          <Button type="button" variant="secondary" size="sm" onClick={() => setConfirmRotate(true)}>
            <RefreshCw aria-hidden />
            Rotate token
          </Button>
        </Field>
      </dl>
      {rotated ? (
        <Notice tone="success" title="Token rotated">
          Paste the new template into Salt. The previous token keeps working for 24 hours
          {info.previousTokenExpiresAt ? (
            <>
              {" (until "}
              <Time date={info.previousTokenExpiresAt} format="dateTime" />)
            </>
          ) : null}
          .
        </Notice>
      ) : null}
      {reveal.error ? <Notice tone="danger">{reveal.error.message}</Notice> : null}

      <div className="max-w-3xl space-y-2">
        <div className="flex items-center justify-between">
          <h3 className="text-sm font-medium text-slate-900">JSON template</h3>
          <CopyTemplateButton companyId={info.companyId} getToken={currentToken} />
        </div>
        {/* Focusable: on a narrow screen it scrolls sideways, and the keyboard must be able to scroll it too. */}
        <pre
          tabIndex={0}
          className="overflow-x-auto rounded-md bg-slate-900 px-4 py-3 font-mono text-sm leading-relaxed text-slate-100"
          aria-label="Webhook JSON template"
        >
          {template}
        </pre>
        <p className="text-xs text-slate-500">
          The copied template includes the real token. Salt replaces {"{{host}}"} and {"{{eventType}}"} when it sends.
        </p>
      </div>

      <SendTestEvent integrationId={integrationId} />

      <div className="grid max-w-3xl grid-cols-1 gap-3 sm:grid-cols-2">
        <DeliveryCard title="Last webhook received" delivery={info.lastReceived} empty="Nothing received yet." />
        <RejectedDeliveryCard delivery={info.lastRejected} total={info.rejectedTotal} kept={info.rejectedKept} />
      </div>
      <p className="max-w-3xl text-xs text-slate-500">
        A misconfigured template fails without a sound in Salt: check the last rejection here, and use Sync integration to catch up.
      </p>

      <Dialog open={confirmRotate} onOpenChange={setConfirmRotate}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Rotate the webhook token?</DialogTitle>
            <DialogDescription>
              Postura makes a new token. The current one keeps working for 24 hours, time to paste the new template into Salt.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button disabled={rotate.isPending} onClick={() => rotate.mutate({ id: integrationId })}>
              {rotate.isPending ? <Loader2 aria-hidden className="animate-spin" /> : null}
              Rotate token
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </StepFrame>
  );
}

/** Salt's cloud posts from the internet: an APP_URL only this machine or network knows never receives it. */
export function UnreachableWarning({ reason }: { reason: string }) {
  return (
    <Notice tone="warning" title="Salt's cloud cannot reach this webhook URL">
      The webhook URL below cannot be called from the internet: {reason}. Set <code className="font-mono">APP_URL</code>{" "}
      to Postura&apos;s public https address (or a tunnel to it) and restart; until then changes arrive only with syncs.
    </Notice>
  );
}

/** Copies the JSON template with the real token (fetched on demand: the token is never in the page until asked for). */
export function CopyTemplateButton({ companyId, getToken }: { companyId: string; getToken: () => Promise<string> }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      size="sm"
      onClick={async () => {
        await navigator.clipboard.writeText(saltWebhookTemplate({ companyId, webhookToken: await getToken() }));
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? <Check aria-hidden className="text-emerald-600" /> : <Copy aria-hidden />}
      <span aria-live="polite">{copied ? "Copied" : "Copy template"}</span>
    </Button>
  );
}

/**
 * Posts a test event to this webhook as Salt would (server/integrations/webhook-test.ts); when the receiver
 * records it, the webhook query's last delivery shows it ("Test received").
 */
export function SendTestEvent({ integrationId }: { integrationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const send = useMutation(
    trpc.integrations.sendTestWebhook.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.integrations.webhook.queryKey({ id: integrationId }) }),
    }),
  );
  const failure = send.error?.message ?? (send.data && !send.data.ok ? send.data.message : null);
  return (
    <div className="max-w-3xl space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" size="sm" disabled={send.isPending} onClick={() => send.mutate({ id: integrationId })}>
          {send.isPending ? <Loader2 aria-hidden className="animate-spin" /> : <Send aria-hidden />}
          Send test event
        </Button>
        <span className="text-xs text-slate-600">Postura sends the template, with your token, to the URL above.</span>
      </div>
      {failure ? (
        <Notice tone="danger" title="The test event was not received">
          {failure}
        </Notice>
      ) : null}
    </div>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1.5">
      <dt className="text-sm font-medium text-slate-800">{label}</dt>
      <dd className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-slate-50 py-1.5 pr-1.5 pl-3">{children}</dd>
    </div>
  );
}

function AsyncCopyButton({ label, getValue }: { label: string; getValue: () => Promise<string> }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      size="sm"
      aria-label={copied ? `${label}: copied` : label}
      onClick={async () => {
        await navigator.clipboard.writeText(await getValue());
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? <Check aria-hidden className="text-emerald-600" /> : <Copy aria-hidden />}
      <span aria-live="polite">{copied ? "Copied" : "Copy"}</span>
    </Button>
  );
}

function DeliveryCard({ title, delivery, empty }: { title: string; delivery: Delivery; empty: string }) {
  return (
    <div className="rounded-lg border border-slate-200 px-4 py-3">
      <h3 className="text-sm font-medium text-slate-900">{title}</h3>
      {delivery ? (
        <div className="mt-1 space-y-0.5 text-sm text-slate-600">
          <p>
            <Time date={delivery.receivedAt} /> · HTTP {delivery.httpStatus}
            {delivery.domain ? ` · ${delivery.domain}` : ""}
          </p>
          {delivery.reason ? <p>{delivery.reason}</p> : null}
        </div>
      ) : (
        <p className="mt-1 text-sm text-slate-500">{empty}</p>
      )}
    </div>
  );
}

/**
 * A refused delivery was sent by someone who did not prove who they are: what it claimed (the reference) is
 * shown as quoted data, marked unverified, never as a sentence of ours.
 */
function RejectedDeliveryCard({ delivery, total, kept }: { delivery: Delivery; total: number; kept: number }) {
  return (
    <div className="rounded-lg border border-slate-200 px-4 py-3">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-medium text-slate-900">Last webhook rejected</h3>
        {delivery ? (
          <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">Unverified sender</span>
        ) : null}
      </div>
      {delivery ? (
        <div className="mt-1 space-y-0.5 text-sm text-slate-600">
          <dl className="space-y-0.5">
            <div className="flex gap-1.5">
              <dt className="sr-only">When</dt>
              <dd>
                <Time date={delivery.receivedAt} /> · HTTP {delivery.httpStatus}
              </dd>
            </div>
            {delivery.reason ? (
              <div className="flex gap-1.5">
                <dt className="shrink-0">Why refused:</dt>
                <dd className="font-medium text-red-700">{delivery.reason}</dd>
              </div>
            ) : null}
            {delivery.domain ? (
              <div className="flex min-w-0 gap-1.5">
                <dt className="shrink-0">Reference sent:</dt>
                <dd className="min-w-0">
                  <code dir="ltr" className="block truncate rounded bg-slate-100 px-1 font-mono text-xs leading-5 text-slate-800" title={delivery.domain}>
                    {delivery.domain}
                  </code>
                </dd>
              </div>
            ) : null}
          </dl>
          <p className="pt-1 text-xs text-slate-500">
            {total > kept ? `${total.toLocaleString("en")} refused in all; the newest ${kept} are kept.` : `${total.toLocaleString("en")} refused in all.`}
          </p>
        </div>
      ) : (
        <p className="mt-1 text-sm text-slate-500">Nothing rejected.</p>
      )}
    </div>
  );
}
