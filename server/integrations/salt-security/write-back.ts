// Status write-back to Salt: the only place that decides what a Salt failure means for an outbox row.
import type { integrations } from "@/db/schema";
import { SaltError } from "./errors";
import { SaltIntegrationNotConfiguredError, saltClientForIntegration } from "./integration-client";
import { SALT_STATUSES, type SaltStatus } from "./schemas";

export type WriteBackOutcome =
  | { kind: "done"; changed: boolean }
  | { kind: "write_back_off"; message: string }
  | { kind: "failed"; code: string; message: string; retryable: boolean };

/**
 * Sets one posture gap's status. The client reads the gap first and sends nothing when it already has the
 * status, so a retry after a request that timed out once Salt had applied it changes nothing twice.
 */
export async function writeSaltStatus(
  integration: typeof integrations.$inferSelect,
  postureGapId: string,
  status: string,
): Promise<WriteBackOutcome> {
  if (!(SALT_STATUSES as readonly string[]).includes(status)) {
    return { kind: "failed", code: "unexpected_status", message: `"${status}" is not a Salt status.`, retryable: false };
  }
  try {
    const client = saltClientForIntegration(integration);
    const { changed } = await client.setPostureGapStatus(postureGapId, status as SaltStatus);
    return { kind: "done", changed };
  } catch (error) {
    if (error instanceof SaltError) {
      if (error.code === "missing_scope") {
        return { kind: "write_back_off", message: "Write-back is off: the Salt API key lacks the perm-executor scope." };
      }
      if (error.code === "not_found") {
        return { kind: "failed", code: error.code, message: "Salt no longer has this posture gap.", retryable: false };
      }
      return { kind: "failed", code: error.code, message: error.message, retryable: error.retryable };
    }
    if (error instanceof SaltIntegrationNotConfiguredError) {
      return { kind: "failed", code: error.code, message: error.message, retryable: false };
    }
    throw error;
  }
}
