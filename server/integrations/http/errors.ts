// The base of every integration's classified error: a stable code, whether a retry may help, and details for the UI.
// Messages are written by us for the user; a vendor's text and the credentials never go into them.

export class IntegrationError<Code extends string, Details extends object> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly retryable: boolean,
    readonly details: Details,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** "1 second", "12 seconds" (at least 1). */
export function seconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s === 1 ? "1 second" : `${s} seconds`;
}

/** "1 attempt", "3 attempts". */
export function attemptsText(attempts: number): string {
  return `${attempts} ${attempts === 1 ? "attempt" : "attempts"}`;
}

/**
 * The user-facing text of the failures every vendor shares, in the vendor's name ("Salt", "Tenable"), so each
 * integration's messages read the same.
 */
export const sharedMessages = {
  rateLimited: (vendor: string, retryAfterMs?: number) =>
    retryAfterMs !== undefined
      ? `${vendor} is limiting requests and asked Postura to wait ${seconds(retryAfterMs)}, longer than Postura waits in one go. Try again in a few minutes.`
      : `${vendor} is limiting requests and kept refusing after several retries. Try again in a few minutes.`,
  unavailable: (vendor: string, status: number, attempts: number) =>
    `${vendor}'s API is not available right now (HTTP ${status}, ${attemptsText(attempts)}). This is usually temporary: try again in a few minutes, and check ${vendor}'s status page if it persists.`,
  timeout: (vendor: string, timeoutMs: number, attempts: number) =>
    `${vendor} did not answer within ${seconds(timeoutMs)} (${attemptsText(attempts)}). Try again; if it keeps happening ${vendor} may be degraded.`,
  unexpectedResponse: (vendor: string, detail: string) =>
    `${vendor} answered in a form Postura does not understand (${detail}). ${vendor}'s API may have changed; please report this to the Postura maintainers.`,
};
