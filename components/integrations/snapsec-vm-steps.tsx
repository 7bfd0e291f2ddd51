"use client";
// Snapsec VM's own wizard steps (credentials with a base URL, custom headers, assessment mapping, status auto-sync),
// on the shared frame, notices, switch and status-mapping board. The severity step is the shared SeveritiesStep.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { defaultForwardingSettings, type AssessmentRef, type VmStatusMapping } from "@/db/schema/forwarding-settings";
import type { RouterOutputs } from "@/lib/trpc-types";
import { Notice } from "./notice";
import { StatusMappingBoard, vmVocabulary } from "./status-mapping-board";
import { StepFooter, StepFrame, type StepMode } from "./step-frame";
import { Switch } from "./switch";

type Integration = NonNullable<RouterOutputs["integrations"]["live"]>;
type StepProps = { integration: Integration; mode: StepMode; backHref?: string; onContinue?: () => void };

function useInvalidate() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
}

export function VmCredentialsStep({ integration, mode, demo, onContinue }: { integration: Integration | null; mode: StepMode; demo: { baseUrl: string; apiKey: string } | null; onContinue?: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const formId = useId();
  const [baseUrl, setBaseUrl] = useState(integration?.baseUrl ?? demo?.baseUrl ?? "");
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(
    trpc.snapsecVm.saveCredentials.mutationOptions({
      onSuccess: async (result) => {
        if (!result.ok) {
          setError(result.message);
          return;
        }
        setError(null);
        setApiKey("");
        await invalidate();
        if (mode === "wizard" && !result.warning) onContinue?.();
        else setSaved(result.warning ?? `Connected to ${result.workspace}.`);
      },
      onError: (e) => setError(e.message),
    }),
  );
  const stored = integration?.credentialsConfigured ?? false;
  return (
    <StepFrame
      title="Credentials"
      description="The address of your Snapsec VM workspace and a VM API key. Postura checks them with VM before going on."
      footer={<StepFooter primaryLabel={mode === "wizard" ? "Check and continue" : "Check and save"} pending={save.isPending} pendingLabel="Checking with Snapsec VM…" form={formId} />}
    >
      <form
        id={formId}
        className="max-w-xl space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          // The key is sent exactly as pasted: the server says so when it has extra spaces, it never trims them.
          save.mutate({ baseUrl, ...(apiKey !== "" || !stored ? { apiKey } : {}) });
        }}
      >
        <div className="space-y-1.5">
          <Label htmlFor={`${formId}-url`}>VM base URL</Label>
          <Input id={`${formId}-url`} type="url" required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://acme.vm.snapsec.example" aria-required />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${formId}-key`}>VM API Key</Label>
          <Input
            id={`${formId}-key`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={stored ? "Stored — paste a new key to replace it" : "Paste the key"}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${formId}-key-help`}
          />
          <p id={`${formId}-key-help`} className="text-xs text-slate-500">
            In VM: Settings → API Keys (copy, or regenerate). The key is stored encrypted and never shown again.
            {demo ? ` Demo: ${demo.apiKey}` : ""}
          </p>
        </div>
      </form>
      {error ? <Notice tone="danger">{error}</Notice> : null}
      {saved ? <Notice tone="success">{saved}</Notice> : null}
    </StepFrame>
  );
}

export function VmHeadersStep({ integration, mode, backHref, onContinue }: StepProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const id = useId();
  const names = integration.customHeaderNames;
  // Stored values are never sent to the browser: a stored header shows as "name: ••••••" and is kept as is.
  const [text, setText] = useState(names.map((n) => `${n}: ••••••`).join("\n"));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(
    trpc.snapsecVm.saveHeaders.mutationOptions({
      onSuccess: async (result) => {
        if (!result.ok) {
          setError(result.message);
          return;
        }
        setError(null);
        setText(result.names.map((n) => `${n}: ••••••`).join("\n"));
        await invalidate();
        if (mode === "wizard") onContinue?.();
        else setSaved(result.names.length === 0 ? "No custom headers: requests carry only the key." : `Tested with VM and saved: ${result.names.join(", ")}.`);
      },
      onError: (e) => setError(e.message),
    }),
  );
  function submit() {
    const lines = text.split("\n");
    const keep = lines.filter((l) => /:\s*•+\s*$/.test(l)).map((l) => l.slice(0, l.indexOf(":")).trim());
    const fresh = lines.filter((l) => !/:\s*•+\s*$/.test(l)).join("\n");
    setSaved(null);
    save.mutate({ id: integration.id, text: fresh, keep });
  }
  return (
    <StepFrame
      title="Custom headers"
      description="Optional. Headers your VM environment needs for authentication or routing (Cloudflare Access, an API gateway). Postura tests them with VM before saving them."
      footer={
        <StepFooter
          backHref={backHref}
          primaryLabel={mode === "wizard" ? (text.trim() === "" ? "Skip" : "Test and continue") : "Test and save"}
          pending={save.isPending}
          pendingLabel="Testing with Snapsec VM…"
          onPrimary={submit}
        />
      }
    >
      <div className="max-w-xl space-y-1.5">
        <Label htmlFor={id}>Headers, one per line as key: value</Label>
        <textarea
          id={id}
          rows={4}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help`}
          className="w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus-visible:outline-2 focus-visible:outline-brand-600"
          placeholder={"cf-access-client-id: 1234.access\ncf-access-client-secret: …"}
        />
        <p id={`${id}-help`} className="text-xs text-slate-500">
          Values are stored encrypted and shown masked. The key, Authorization, Host and Content-Length cannot be overridden.
        </p>
      </div>
      {error ? <Notice tone="danger">{error}</Notice> : null}
      {saved ? <Notice tone="success">{saved}</Notice> : null}
    </StepFrame>
  );
}

const NEW = "__new__";

/** A dropdown of the VM's assessments plus "Create a new assessment…". */
function AssessmentSelect({
  id,
  label,
  value,
  options,
  onChange,
  onCreate,
}: {
  id: string;
  label: string;
  value: string;
  options: { id: string; name: string }[];
  onChange: (ref: AssessmentRef) => void;
  onCreate: () => void;
}) {
  return (
    <Select
      id={id}
      aria-label={label}
      value={value}
      onChange={(e) => {
        if (e.target.value === NEW) return onCreate();
        const found = options.find((o) => o.id === e.target.value);
        if (found) onChange({ id: found.id, name: found.name });
      }}
    >
      <option value="" disabled>
        Choose an assessment
      </option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
      <option value={NEW}>Create a new assessment…</option>
    </Select>
  );
}

export function VmAssessmentsStep({ integration, mode, backHref, onContinue }: StepProps) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const queryClient = useQueryClient();
  const id = useId();
  const current = integration.forwarding ?? defaultForwardingSettings;
  const assessments = useQuery(trpc.snapsecVm.assessments.queryOptions({ id: integration.id }));
  const projects = useQuery(trpc.snapsecVm.projects.queryOptions({ id: integration.id }));
  const [mode_, setMode] = useState(current.assessmentMode);
  const [unified, setUnified] = useState<AssessmentRef | null>(current.unifiedAssessment);
  const [perProject, setPerProject] = useState<Record<string, AssessmentRef>>(current.projectAssessments);
  const [creatingFor, setCreatingFor] = useState<string | null>(null);
  const [newName, setNewName] = useState("Postura threats");
  const [saved, setSaved] = useState(false);
  const create = useMutation(
    trpc.snapsecVm.createAssessment.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries({ queryKey: trpc.snapsecVm.assessments.queryKey({ id: integration.id }) });
        if (creatingFor === "unified") setUnified(created);
        else if (creatingFor) setPerProject({ ...perProject, [creatingFor]: created });
        setCreatingFor(null);
      },
    }),
  );
  const save = useMutation(
    trpc.snapsecVm.saveAssessmentMapping.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        if (mode === "wizard") onContinue?.();
        else setSaved(true);
      },
    }),
  );
  const options = assessments.data ?? [];
  return (
    <StepFrame
      title="Assessment mapping"
      description="Choose which VM assessment stores the threats Postura forwards: one unified assessment, or one per project (an FQDN asset)."
      footer={
        <StepFooter
          backHref={backHref}
          primaryLabel={mode === "wizard" ? "Continue" : "Save mapping"}
          pending={save.isPending}
          pendingLabel="Saving…"
          disabled={!unified}
          onPrimary={() => unified && save.mutate({ id: integration.id, assessmentMode: mode_, unifiedAssessment: unified, projectAssessments: perProject })}
        />
      }
    >
      {assessments.isPending ? (
        <Skeleton className="h-24 max-w-xl" />
      ) : assessments.error ? (
        <Notice tone="danger">{assessments.error.message}</Notice>
      ) : (
        <div className="max-w-2xl space-y-4">
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-900">Where threats go</legend>
            {(["unified", "per_project"] as const).map((m) => (
              <label key={m} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="radio" name={`${id}-mode`} value={m} checked={mode_ === m} onChange={() => setMode(m)} />
                {m === "unified" ? "One unified assessment" : "One assessment per project"}
              </label>
            ))}
          </fieldset>
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-unified`}>{mode_ === "unified" ? "Assessment" : "Default assessment (projects without their own)"}</Label>
            <AssessmentSelect
              id={`${id}-unified`}
              label={mode_ === "unified" ? "Assessment" : "Default assessment"}
              value={unified?.id ?? ""}
              options={options}
              onChange={setUnified}
              onCreate={() => setCreatingFor("unified")}
            />
          </div>
          {creatingFor ? (
            <form
              className="flex items-end gap-2 rounded-md bg-slate-50 p-3"
              onSubmit={(e) => {
                e.preventDefault();
                create.mutate({ id: integration.id, name: newName });
              }}
            >
              <div className="flex-1 space-y-1.5">
                <Label htmlFor={`${id}-new`}>New assessment name</Label>
                <Input id={`${id}-new`} value={newName} onChange={(e) => setNewName(e.target.value)} required />
              </div>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? "Creating…" : "Create in VM"}
              </Button>
              <Button type="button" variant="ghost" onClick={() => setCreatingFor(null)}>
                Cancel
              </Button>
            </form>
          ) : null}
          {create.error ? <Notice tone="danger">{create.error.message}</Notice> : null}
          {mode_ === "per_project" ? (
            projects.isPending ? (
              <Skeleton className="h-24" />
            ) : (projects.data ?? []).length === 0 ? (
              <Notice tone="info" live="none">
                No projects yet. Projects are the FQDN assets added with the Salt Security wizard&apos;s Add project; until then every issue goes to the default assessment.
              </Notice>
            ) : (
              <table className="w-full text-sm">
                <caption className="sr-only">Assessment of each project</caption>
                <thead>
                  <tr className="border-b border-slate-200 text-left text-xs text-slate-600 uppercase">
                    <th scope="col" className="py-2">Project</th>
                    <th scope="col" className="py-2">Assessment</th>
                  </tr>
                </thead>
                <tbody>
                  {(projects.data ?? []).map((p) => (
                    <tr key={p.id} className="border-b border-slate-100">
                      <td className="py-2 pr-3 break-all">{p.name}</td>
                      <td className="py-2">
                        <AssessmentSelect
                          id={`${id}-p-${p.id}`}
                          label={`Assessment for ${p.name}`}
                          value={perProject[p.id]?.id ?? unified?.id ?? ""}
                          options={options}
                          onChange={(ref) => setPerProject({ ...perProject, [p.id]: ref })}
                          onCreate={() => setCreatingFor(p.id)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          ) : null}
        </div>
      )}
      {save.error ? <Notice tone="danger">{save.error.message}</Notice> : null}
      {saved ? <Notice tone="success">Assessment mapping saved. It applies to the next records forwarded.</Notice> : null}
    </StepFrame>
  );
}

export function VmStatusStep({ integration, mode, backHref, onContinue, finishing }: StepProps & { finishing?: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate();
  const id = useId();
  const current = integration.forwarding ?? defaultForwardingSettings;
  const [autoSync, setAutoSync] = useState(current.autoSync);
  const [mapping, setMapping] = useState<VmStatusMapping>(current.statusMapping);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.snapsecVm.saveStatusSync.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        if (mode === "wizard") onContinue?.();
        else setSaved(true);
      },
    }),
  );
  return (
    <StepFrame
      title="Status auto-sync"
      description="When on, status changes in Postura update the record's status in VM. Drag VM statuses onto Postura statuses; the first in a row is the one sent."
      footer={
        <StepFooter
          backHref={backHref}
          primaryLabel={mode === "wizard" ? "Connect Snapsec VM" : "Save auto-sync"}
          pending={save.isPending || finishing}
          pendingLabel={mode === "wizard" ? "Connecting…" : "Saving…"}
          onPrimary={() => save.mutate({ id: integration.id, autoSync, statusMapping: mapping })}
        />
      }
    >
      <div className="flex items-center gap-3">
        <Switch id={`${id}-auto`} checked={autoSync} onCheckedChange={setAutoSync} />
        <Label htmlFor={`${id}-auto`}>Auto-sync status changes to Snapsec VM</Label>
      </div>
      {!autoSync ? (
        <Notice tone="info" live="none">
          Auto-sync is off: new issues and their fields are still forwarded, but a status change in Postura leaves the record&apos;s status in VM as it is.
        </Notice>
      ) : null}
      <StatusMappingBoard value={mapping} onChange={(next) => setMapping(next as VmStatusMapping)} vocabulary={vmVocabulary} />
      {save.error ? <Notice tone="danger">{save.error.message}</Notice> : null}
      {saved ? <Notice tone="success">Status auto-sync saved.</Notice> : null}
    </StepFrame>
  );
}
