// Setting up a Snapsec VM integration: checks with answers the wizard shows as is, the assessments dropdown, and
// Test connection's diagnostics (key, custom headers with and without, chosen assessments, reachability).
import type { integrations } from "@/db/schema";
import { createSnapsecVmClient } from "./client";
import type { SnapsecVmErrorCode } from "./errors";
import { isSnapsecVmError } from "./errors";
import { readVmCustomHeaders, vmClientForIntegration } from "./integration-client";

type IntegrationRow = typeof integrations.$inferSelect;

/** A person is waiting: a short retry budget. */
const INTERACTIVE = { timeoutMs: 10_000, retry: { maxAttempts: 2, maxTotalWaitMs: 2_000 } } as const;

export type VmCheck =
  | { ok: true; workspace: string; role: string; warning: string | null }
  | { ok: false; code: SnapsecVmErrorCode; message: string };

async function check(run: () => ReturnType<ReturnType<typeof createSnapsecVmClient>["checkConnection"]>): Promise<VmCheck> {
  try {
    const connection = await run();
    return {
      ok: true,
      workspace: connection.workspace.name,
      role: connection.role,
      warning: connection.canWrite ? null : `This key's role is ${connection.role}: it may read but not forward. Generate the key as a VM admin or manager.`,
    };
  } catch (error) {
    if (isSnapsecVmError(error)) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

/** A key just typed: sent exactly as pasted (a spaced key is refused, not trimmed). */
export function checkNewVmKey({ baseUrl, apiKey, customHeaders }: { baseUrl: string; apiKey: string; customHeaders: Record<string, string> }) {
  return check(() => createSnapsecVmClient({ baseUrl, apiKey, customHeaders, ...INTERACTIVE }).checkConnection());
}

/** The stored key, with the stored headers or the ones given (the headers step tests before saving). */
export function checkStoredVmKey(row: IntegrationRow, overrides: { baseUrl?: string; customHeaders?: Record<string, string> } = {}) {
  return check(() =>
    vmClientForIntegration({ ...row, baseUrl: overrides.baseUrl ?? row.baseUrl }, { ...INTERACTIVE, ...(overrides.customHeaders ? { customHeaders: overrides.customHeaders } : {}) }).checkConnection(),
  );
}

export function listVmAssessments(row: IntegrationRow) {
  return vmClientForIntegration(row, INTERACTIVE).listAssessments();
}

export function createVmAssessment(row: IntegrationRow, name: string) {
  return vmClientForIntegration(row, INTERACTIVE).createAssessment({ name, description: "Threats forwarded from Postura." });
}

export type Diagnostic = { check: "reachability" | "key" | "headers" | "assessments"; ok: boolean; message: string };

/** Test connection: each check with the troubleshooting guide's remedy. Never throws for a VM answer. */
export async function diagnoseVm(row: IntegrationRow, chosenAssessments: { id: string; name: string }[]): Promise<Diagnostic[]> {
  const results: Diagnostic[] = [];
  const headers = readVmCustomHeaders(row);
  const withHeaders = await checkStoredVmKey(row);
  const unreachable = !withHeaders.ok && (withHeaders.code === "network_unreachable" || withHeaders.code === "timeout" || withHeaders.code === "invalid_base_url");
  results.push({
    check: "reachability",
    ok: !unreachable,
    message: unreachable && !withHeaders.ok ? withHeaders.message : `Snapsec VM answers at ${new URL(row.baseUrl ?? "http://invalid").host}.`,
  });
  if (unreachable) return results;
  const keyProblem = !withHeaders.ok && ["invalid_key", "revoked_key", "key_has_spaces", "malformed_key", "forbidden"].includes(withHeaders.code);
  results.push({
    check: "key",
    ok: withHeaders.ok || !keyProblem,
    message: withHeaders.ok ? `The key works (workspace ${withHeaders.workspace}, role ${withHeaders.role}).` : keyProblem ? withHeaders.message : "The key could not be checked: see the headers check.",
  });
  if (Object.keys(headers).length > 0) {
    const without = await checkStoredVmKey(row, { customHeaders: {} });
    const names = Object.keys(headers).join(", ");
    results.push({
      check: "headers",
      ok: withHeaders.ok,
      message: withHeaders.ok
        ? `With your custom headers (${names}) VM answers${without.ok ? "; it answers without them too, so they may not be needed" : "; without them it refuses, so they are needed"}.`
        : withHeaders.code === "gateway_refused"
          ? "A gateway answered with a web page instead of the API: remove the headers and test again, and check the key: value format of each line."
          : withHeaders.message,
    });
  } else if (!withHeaders.ok && !keyProblem) {
    results.push({ check: "headers", ok: false, message: withHeaders.message });
  }
  if (withHeaders.ok && chosenAssessments.length > 0) {
    const client = vmClientForIntegration(row, INTERACTIVE);
    const missing: string[] = [];
    for (const assessment of chosenAssessments) {
      try {
        if (!(await client.getAssessment(assessment.id))) missing.push(assessment.name || assessment.id);
      } catch (error) {
        if (!isSnapsecVmError(error)) throw error;
        missing.push(assessment.name || assessment.id);
      }
    }
    results.push({
      check: "assessments",
      ok: missing.length === 0,
      message:
        missing.length === 0
          ? `The chosen assessment${chosenAssessments.length === 1 ? "" : "s"} exist${chosenAssessments.length === 1 ? "s" : ""} in VM.`
          : `VM no longer has ${missing.join(", ")}: confirm the assessment selection under Assessment mapping.`,
    });
  }
  return results;
}
