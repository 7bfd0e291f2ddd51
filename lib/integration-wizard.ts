// The Salt Security connect wizard's steps and rules, shared by the server (which knows how far a draft got)
// and the browser (stepper, warnings, webhook template).
import { saltStatuses, type SeverityFilter, type StatusMapping } from "@/db/schema/integrations";
import type { VmStatusMapping } from "@/db/schema/forwarding-settings";
import { issueStatuses, issueStatusLabels } from "@/db/schema/vocabulary";

export const wizardSteps = ["credentials", "mapping", "severities", "domains"] as const;
export type WizardStep = (typeof wizardSteps)[number];
/** What `integrations.wizard_step` holds: the step a draft resumes at, or "done" once connected. */
export type StoredWizardStep = WizardStep | "done";

export const wizardStepLabels: Record<WizardStep, string> = {
  credentials: "Credentials",
  mapping: "Status Mapping",
  severities: "Severity Filters",
  domains: "Configuration",
};

/** Snapsec VM's connect wizard: the same frame, its own steps. */
export const vmWizardSteps = ["credentials", "headers", "assessments", "severities", "status"] as const;
export type VmWizardStep = (typeof vmWizardSteps)[number];
export const vmWizardStepLabels: Record<VmWizardStep, string> = {
  credentials: "Credentials",
  headers: "Custom headers",
  assessments: "Assessment mapping",
  severities: "Severity filters",
  status: "Status auto-sync",
};

/** A wizard's ordered steps; Salt's by default. */
type Steps = readonly string[];

export function isWizardStep(value: unknown, steps: Steps = wizardSteps): value is WizardStep {
  return typeof value === "string" && steps.includes(value);
}

export function stepIndex(step: StoredWizardStep | string, steps: Steps = wizardSteps): number {
  if (step === "done") return steps.length;
  const i = steps.indexOf(step);
  return i < 0 ? 0 : i;
}

/** The step after `step`, or "done" after the last one. */
export function nextStep<S extends string = WizardStep>(step: S, steps: Steps = wizardSteps): S | "done" {
  return (steps[stepIndex(step, steps) + 1] as S | undefined) ?? "done";
}

/** The furthest of two stored steps: saving an earlier step again never moves a draft backwards. */
export function furthestStep<S extends string = WizardStep>(a: string, b: S | "done", steps: Steps = wizardSteps): S | "done" {
  return stepIndex(a, steps) >= stepIndex(b, steps) ? (isWizardStep(a, steps) || a === "done" ? (a as S) : b) : b;
}

/** Warnings that do not block saving: Salt statuses no row recognises, and rows with nothing to write back. */
export function statusMappingWarnings(mapping: StatusMapping): string[] {
  const mapped = new Set(Object.values(mapping).flat());
  const warnings: string[] = [];
  const unmappedSalt = saltStatuses.filter((s) => !mapped.has(s));
  if (unmappedSalt.length > 0) {
    warnings.push(
      `${list(unmappedSalt)} ${unmappedSalt.length === 1 ? "is" : "are"} not mapped: posture gaps with ${unmappedSalt.length === 1 ? "this status" : "these statuses"} will not be imported.`,
    );
  }
  const emptyRows = issueStatuses.filter((s) => (mapping[s] ?? []).length === 0).map((s) => issueStatusLabels[s]);
  if (emptyRows.length > 0) {
    warnings.push(
      `${list(emptyRows)} ${emptyRows.length === 1 ? "has" : "have"} no Salt status: ${emptyRows.length === 1 ? "that status is" : "those statuses are"} not synced and not written back to Salt.`,
    );
  }
  return warnings;
}

/** Snapsec VM: Postura statuses whose changes are not sent (an empty row). */
export function vmStatusMappingWarnings(mapping: VmStatusMapping): string[] {
  const emptyRows = issueStatuses.filter((s) => (mapping[s] ?? []).length === 0).map((s) => issueStatusLabels[s]);
  if (emptyRows.length === 0) return [];
  return [
    `${list(emptyRows)} ${emptyRows.length === 1 ? "has" : "have"} no Snapsec VM status: changes to ${emptyRows.length === 1 ? "it are" : "them are"} not sent, and a new issue in ${emptyRows.length === 1 ? "it" : "them"} arrives as Pending.`,
  ];
}

export function enabledSeverityCount(filter: SeverityFilter): number {
  return Object.values(filter).filter(Boolean).length;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export const SALT_WEBHOOK_PATH = "/api/v3/integrations/scanners/salt_security/webhook";

/** The event of "Send test event": authenticated and recorded like any delivery, but it syncs nothing. */
export const WEBHOOK_TEST_EVENT = "postura.test";

/** The body to paste into Salt's Custom Webhook; {{host}} and {{eventType}} are Salt's placeholders. */
export function saltWebhookTemplate({ companyId, webhookToken }: { companyId: string; webhookToken: string }): string {
  return JSON.stringify({ company_id: companyId, webhook_token: webhookToken, reference: "{{host}}", event: "{{eventType}}" }, null, 2);
}

/**
 * What an API key can hold: printable ASCII. A pasted key that carries anything else (a zero-width space, a line
 * break, NUL, a letter outside Latin-1) cannot be sent in an HTTP header at all, so it is refused before sending,
 * with this message rather than a network error. Checked in the browser and again in the procedure's input.
 */
export const apiKeyInvalidCharacters =
  "The key contains invalid characters (a line break, an invisible character or a letter that cannot be sent to Salt). Copy the key again from Salt and paste it here.";

export function hasOnlyApiKeyCharacters(key: string): boolean {
  return /^[\x20-\x7E]*$/.test(key);
}
