"use client";
// Settings → Notifications: the webhook URL, the SMTP form (the password is never sent back, only "stored"), the
// rules, Send test notification, and the recent deliveries with each destination's answer.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Loader2, Send } from "lucide-react";
import { useState } from "react";
import { Notice } from "@/components/integrations/notice";
import { Switch } from "@/components/integrations/switch";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, firstErrors } from "@/components/ui/field";
import { Label } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";
import {
  notificationRuleLabels,
  notificationRules,
  notificationSettingsInput,
  type NotificationRules,
  smtpTlsLabels,
  smtpTlsModes,
} from "@/lib/notifications";
import type { RouterOutputs } from "@/lib/trpc-types";

type Settings = RouterOutputs["notifications"]["settings"];

export function NotificationsClient() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.notifications.settings.queryOptions());
  if (!settings.data) return <Skeleton className="h-96" />;
  return (
    <div className="space-y-6">
      <SettingsForm settings={settings.data} />
      <Deliveries />
    </div>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const readOnly = !settings.canManage;
  const [webhookUrl, setWebhookUrl] = useState(settings.webhookUrl);
  const [emailOn, setEmailOn] = useState(settings.smtp !== null);
  const [host, setHost] = useState(settings.smtp?.host ?? "");
  const [port, setPort] = useState(String(settings.smtp?.port ?? 587));
  const [tls, setTls] = useState<(typeof smtpTlsModes)[number]>(settings.smtp?.tls ?? "starttls");
  const [user, setUser] = useState(settings.smtp?.user ?? "");
  const [password, setPassword] = useState("");
  const [from, setFrom] = useState(settings.smtp?.from ?? "");
  const [recipients, setRecipients] = useState((settings.smtp?.recipients ?? []).join(", "));
  const [rules, setRules] = useState<NotificationRules>(settings.rules);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  const save = useMutation(trpc.notifications.save.mutationOptions());
  const test = useMutation(trpc.notifications.sendTest.mutationOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = notificationSettingsInput.safeParse({
      webhookUrl,
      smtp: emailOn
        ? {
            host,
            port: /^\d+$/.test(port.trim()) ? Number(port) : Number.NaN,
            tls,
            user,
            password,
            from: from.trim(),
            recipients: recipients.split(/[\s,;]+/).filter(Boolean),
          }
        : null,
      rules,
    });
    if (!parsed.success) {
      // SMTP fields' errors are keyed by their own name (smtp.host → host).
      setErrors(firstErrors(parsed.error.issues.map((i) => ({ ...i, path: i.path[0] === "smtp" ? i.path.slice(1) : i.path }))));
      return;
    }
    setErrors({});
    save.mutate(parsed.data, {
      onSuccess: async () => {
        setPassword("");
        setSaved(true);
        await invalidate();
      },
    });
  }

  return (
    <Card className="p-6">
      <h2 className="text-base font-semibold">Destinations and rules</h2>
      {readOnly ? (
        <Notice tone="info" className="mt-4" title="Read only">
          {settings.manageRefusal}
        </Notice>
      ) : null}
      <form className="mt-5 max-w-2xl space-y-6" onSubmit={submit} noValidate aria-label="Notification settings">
        <Field
          id="notify-webhook-url"
          label="Webhook URL"
          placeholder="https://hooks.slack.com/services/…"
          value={webhookUrl}
          onChange={(e) => setWebhookUrl(e.target.value)}
          error={errors.webhookUrl}
          hint="Receives JSON as Slack's incoming webhooks expect ({ text, blocks }). https only (plain http for a loopback address); redirects are not followed. Leave blank for none."
          disabled={readOnly}
        />

        <fieldset className="space-y-4">
          <div className="flex items-center gap-3">
            <Switch id="notify-email" checked={emailOn} onCheckedChange={setEmailOn} disabled={readOnly} aria-describedby="notify-email-hint" />
            <Label htmlFor="notify-email">E-mail through SMTP</Label>
          </div>
          <p id="notify-email-hint" className="text-xs text-slate-500">
            Without SMTP settings, no e-mail is sent.
          </p>
          {emailOn ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="smtp-host" label="SMTP host" value={host} onChange={(e) => setHost(e.target.value)} error={errors.host} disabled={readOnly} />
              <Field id="smtp-port" label="Port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} error={errors.port} disabled={readOnly} />
              <div className="space-y-1.5">
                <Label htmlFor="smtp-tls">TLS</Label>
                <select
                  id="smtp-tls"
                  className="block h-9 w-full rounded-md border border-slate-300 bg-white px-3 text-sm"
                  value={tls}
                  onChange={(e) => setTls(e.target.value as typeof tls)}
                  disabled={readOnly}
                  aria-describedby={errors.tls ? "smtp-tls-error" : undefined}
                >
                  {smtpTlsModes.map((mode) => (
                    <option key={mode} value={mode}>
                      {smtpTlsLabels[mode]}
                    </option>
                  ))}
                </select>
                {errors.tls ? (
                  <p id="smtp-tls-error" className="text-xs text-red-700">
                    {errors.tls}
                  </p>
                ) : null}
              </div>
              <Field id="smtp-user" label="User name" autoComplete="off" value={user} onChange={(e) => setUser(e.target.value)} error={errors.user} disabled={readOnly} />
              <div className="sm:col-span-2">
                <Field
                  id="smtp-password"
                  label="Password"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  error={errors.password}
                  hint={settings.smtpPasswordSet ? "A password is stored (encrypted). Leave blank to keep it." : "Stored encrypted; never shown again."}
                  disabled={readOnly}
                />
                {settings.smtpPasswordSet ? (
                  <p className="mt-1 flex items-center gap-1.5 text-xs text-slate-600">
                    <KeyRound aria-hidden className="size-3.5" /> Password stored
                  </p>
                ) : null}
              </div>
              <Field id="smtp-from" label="From address" value={from} onChange={(e) => setFrom(e.target.value)} error={errors.from} disabled={readOnly} />
              <Field
                id="smtp-recipients"
                label="Recipients"
                value={recipients}
                onChange={(e) => setRecipients(e.target.value)}
                error={errors.recipients}
                hint="Separated by commas."
                disabled={readOnly}
              />
            </div>
          ) : null}
        </fieldset>

        <fieldset className="space-y-3">
          <legend className="text-sm font-medium text-slate-900">Rules</legend>
          {notificationRules.map((rule) => (
            <div key={rule} className="flex items-start gap-3">
              <Switch
                id={`rule-${rule}`}
                checked={rules[rule]}
                onCheckedChange={(on) => setRules({ ...rules, [rule]: on })}
                disabled={readOnly}
                aria-describedby={`rule-${rule}-hint`}
              />
              <div>
                <Label htmlFor={`rule-${rule}`}>{notificationRuleLabels[rule].label}</Label>
                <p id={`rule-${rule}-hint`} className="text-xs text-slate-500">
                  {notificationRuleLabels[rule].description}
                </p>
              </div>
            </div>
          ))}
        </fieldset>

        {save.error ? (
          <Notice tone="danger" title="Not saved.">
            {save.error.message}
          </Notice>
        ) : null}
        {saved ? <Notice tone="success" title="Saved." /> : null}
        {test.error ? <Notice tone="danger">{test.error.message}</Notice> : null}
        {test.isSuccess ? <Notice tone="success">Test notification queued; its delivery shows below.</Notice> : null}
        {readOnly ? null : (
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? <Loader2 aria-hidden className="animate-spin" /> : null}
              Save
            </Button>
            <Button type="button" variant="secondary" disabled={test.isPending} onClick={() => test.mutate(undefined, { onSuccess: () => void invalidate() })}>
              {test.isPending ? <Loader2 aria-hidden className="animate-spin" /> : <Send aria-hidden />}
              Send test notification
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}

const ruleNames: Record<string, string> = { ...Object.fromEntries(notificationRules.map((r) => [r, notificationRuleLabels[r].label])), test: "Test" };

function Deliveries() {
  const trpc = useTRPC();
  const deliveries = useQuery({ ...trpc.notifications.deliveries.queryOptions(), refetchInterval: 3000 });
  const rows = deliveries.data ?? [];
  return (
    <Card className="p-6">
      <h2 className="text-base font-semibold">Recent deliveries</h2>
      {deliveries.isPending ? (
        <Skeleton className="mt-4 h-24" />
      ) : rows.length === 0 ? (
        <EmptyState icon={Send} title="Nothing sent yet" description="Each message sent, retried or failed shows here with the destination's answer." />
      ) : (
        <div className="relative mt-4 overflow-x-auto rounded-lg border border-slate-200" tabIndex={0} role="region" aria-label="Recent deliveries">
          <table className="w-full text-sm">
            <caption className="sr-only">Recent deliveries</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2">When</th>
                <th scope="col" className="px-4 py-2">Rule</th>
                <th scope="col" className="px-4 py-2">Channel</th>
                <th scope="col" className="px-4 py-2">Result</th>
                <th scope="col" className="px-4 py-2">Answer</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((d) => (
                <tr key={d.id}>
                  <td className="px-4 py-2 whitespace-nowrap text-slate-600">
                    <Time date={d.createdAt} />
                  </td>
                  <td className="px-4 py-2">
                    {ruleNames[d.rule] ?? d.rule}
                    {d.eventCount > 1 ? <span className="text-slate-500"> · {d.eventCount} events</span> : null}
                  </td>
                  <td className="px-4 py-2">{d.channel === "webhook" ? "Webhook" : "E-mail"}</td>
                  <td className="px-4 py-2">
                    <Badge tone={d.state === "sent" ? "success" : d.state === "retrying" ? "warning" : "danger"}>
                      {d.state === "sent" ? "Sent" : d.state === "retrying" ? `Retrying (attempt ${d.attempt})` : "Failed"}
                    </Badge>
                  </td>
                  <td className="max-w-md px-4 py-2 text-slate-700">
                    <span className="block truncate" title={[d.statusCode, d.response, d.error].filter(Boolean).join(" · ")}>
                      {[d.statusCode, d.error ?? d.response].filter((v) => v !== null && v !== "").join(" · ") || "—"}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
