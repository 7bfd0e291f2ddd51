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
