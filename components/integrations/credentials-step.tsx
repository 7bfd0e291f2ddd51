"use client";
// Credentials: region and API key, validated against Salt on the server before anything is stored.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useId, useState, useSyncExternalStore } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import type { SaltRegion } from "@/db/schema/integrations";
import { apiKeyInvalidCharacters, hasOnlyApiKeyCharacters } from "@/lib/integration-wizard";
import type { RouterOutputs } from "@/lib/trpc-types";
import { CopyButton } from "./copy-button";
import { Notice } from "./notice";
import { StepFooter, StepFrame, type StepMode } from "./step-frame";

type Integration = NonNullable<RouterOutputs["integrations"]["live"]>;

const REGIONS: { value: SaltRegion; label: string }[] = [
  { value: "us", label: "US (api.secured-api.com)" },
  { value: "eu", label: "EU (api.secured-api-eu.com)" },
];

const KEY_NOT_SENT = "The key was not sent to Salt";
/** Failures of the check itself, not a verdict on the key: trying again later may pass. */
const CHECK_COULD_NOT_RUN = new Set<string>(["rate_limited", "salt_unavailable", "network_unreachable", "timeout", "unexpected_response", "not_configured"]);

export function CredentialsStep({
  integration,
  mode,
  demoKey,
  onContinue,
}: {
  integration: Integration | null;
  mode: StepMode;
  demoKey: string | null;
  onContinue?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formId = useId();
  const [region, setRegion] = useState<SaltRegion>(integration?.region ?? "us");
  const [apiKey, setApiKey] = useState("");
  const [replacing, setReplacing] = useState(!integration?.credentialsConfigured);
  const [error, setErrorState] = useState<{ title: string; message: string } | null>(null);
  // What the box is titled says who refused: the form itself (nothing was sent), Salt, or the way to Salt.
  const setError = (message: string | null, title = KEY_NOT_SENT) => setErrorState(message === null ? null : { title, message });
  const [warning, setWarning] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Whether the last save checked the stored key again (no key pasted), so the confirmation says which.
  const [recheckedStoredKey, setRecheckedStoredKey] = useState(false);
  const save = useMutation(
    trpc.integrations.saveCredentials.mutationOptions({
      onSuccess: async (result) => {
        if (!result.ok) {
          setError(result.message, CHECK_COULD_NOT_RUN.has(result.code) ? "Salt could not check the key" : "Salt did not accept this key");
          return;
        }
        setError(null);
        setApiKey("");
        setReplacing(false);
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        setWarning(result.warning);
        if (mode === "wizard" && !result.warning) onContinue?.();
        else setSaved(true);
      },
      // Invalid input names its field; anything else has one message.
      onError: (e) => setError((e.data?.zodError?.fieldErrors as Partial<Record<string, string[]>> | undefined)?.apiKey?.[0] ?? e.message),
    }),
  );

  // Until React has hydrated, a submit would be the browser's own: never let that carry the key anywhere.
  const hydrated = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
  const keyId = `${formId}-key`;
  const canContinueWithWarning = mode === "wizard" && warning !== null && saved;

  return (
    <StepFrame
      title="Credentials"
      description="Choose your Salt Security region and paste an API key. Postura checks the key with Salt before saving it, and stores it encrypted."
      footer={
        <StepFooter
          backHref={mode === "wizard" ? "/integrations" : undefined}
          primaryLabel={canContinueWithWarning ? "Continue without write-back" : mode === "wizard" ? "Continue" : "Save credentials"}
          pending={save.isPending}
          disabled={!hydrated}
          pendingLabel="Checking the key with Salt…"
          form={canContinueWithWarning ? undefined : formId}
          onPrimary={canContinueWithWarning ? onContinue : undefined}
        />
      }
    >
      <form
        id={formId}
        method="post"
        className="max-w-xl space-y-5"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          setWarning(null);
          if (replacing) {
            const key = apiKey.trim();
            if (key === "") return setError(integration?.credentialsConfigured ? "Paste the new API key, or keep the stored key." : "Paste your Salt Security API key.");
            if (!hasOnlyApiKeyCharacters(key)) return setError(apiKeyInvalidCharacters);
          }
          setError(null);
          setRecheckedStoredKey(!replacing);
          save.mutate({ region, apiKey: replacing ? apiKey : undefined });
        }}
      >
        <div className="space-y-1.5">
          <Label htmlFor={`${formId}-region`}>Region</Label>
          <Select
            id={`${formId}-region`}
            value={region}
            onChange={(e) => {
              setRegion(e.target.value as SaltRegion);
              setSaved(false);
            }}
          >
            {REGIONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </Select>
          <p className="text-xs text-slate-500">The region of your Salt tenant: the host you sign in to Salt&apos;s API with.</p>
        </div>

        <div className="space-y-1.5">
          <Label htmlFor={keyId}>Salt Security API Key</Label>
          {replacing ? (
            <>
              <Input
                id={keyId}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${keyId}-help`}
                placeholder="Paste the key"
                aria-required
              />
              <p id={`${keyId}-help`} className="text-xs text-slate-500">
                In Salt: Dashboard → Settings → Access → API Keys. The key needs perm-viewer to read, and perm-executor to write
                statuses back.
              </p>
              {integration?.credentialsConfigured ? (
                <Button
                  type="button"
                  variant="link"
                  size="sm"
                  onClick={() => {
                    setReplacing(false);
                    setApiKey("");
                    setError(null);
                  }}
                >
                  Keep the stored key
                </Button>
              ) : null}
            </>
          ) : (
            <div className="flex items-center gap-3">
              <Badge tone="success">
                <KeyRound aria-hidden className="size-3" />
                Configured
              </Badge>
              <span className="text-sm text-slate-600">
                The key is stored encrypted and is never shown again.
                {mode === "settings" ? " Saving checks the stored key with Salt again." : null}
              </span>
              <Button
                type="button"
                variant="link"
                size="sm"
                onClick={() => {
                  setReplacing(true);
                  setWarning(null);
                  setSaved(false);
                }}
              >
                Replace key
              </Button>
            </div>
          )}
        </div>

        {demoKey && replacing ? (
          <Notice tone="info" title="Demo mode" live="none">
            <div className="flex flex-wrap items-center gap-2">
              <span>The Salt simulator accepts this key in the US region:</span>
              <code className="rounded bg-white px-1.5 py-0.5 font-mono text-xs ring-1 ring-sky-200">{demoKey}</code>
              <CopyButton value={demoKey} label="Copy demo key" />
            </div>
          </Notice>
        ) : null}
      </form>

      {error ? (
        <Notice tone="danger" title={error.title}>
          {error.message}
        </Notice>
      ) : null}
      {warning ? (
        <Notice tone="warning" title="Write-back will be off">
          {warning}
        </Notice>
      ) : null}
      {saved && !warning && mode === "settings" ? (
        <Notice tone="success">{recheckedStoredKey ? "The stored key was checked with Salt again and saved." : "Credentials checked with Salt and saved."}</Notice>
      ) : null}
    </StepFrame>
  );
}
