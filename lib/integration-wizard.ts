// The Salt Security connect wizard's steps and rules, shared by the server (which knows how far a draft got)
// and the browser (stepper, warnings, webhook template).
import { saltStatuses, type SeverityFilter, type StatusMapping } from "@/db/schema/integrations";
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

export function isWizardStep(value: unknown): value is WizardStep {
  return typeof value === "string" && (wizardSteps as readonly string[]).includes(value);
}

export function stepIndex(step: StoredWizardStep | string): number {
  if (step === "done") return wizardSteps.length;
  const i = wizardSteps.indexOf(step as WizardStep);
  return i < 0 ? 0 : i;
}

/** The step after `step`, or "done" after the last one. */
export function nextStep(step: WizardStep): StoredWizardStep {
  return wizardSteps[stepIndex(step) + 1] ?? "done";
}

/** The furthest of two stored steps: saving an earlier step again never moves a draft backwards. */
export function furthestStep(a: string, b: StoredWizardStep): StoredWizardStep {
  return stepIndex(a) >= stepIndex(b) ? (isWizardStep(a) || a === "done" ? a : b) : b;
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
