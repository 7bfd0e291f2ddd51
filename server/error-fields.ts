// What a log line needs to know about a caught error: its name, message, code and stack as bounded plain strings,
// so a log never reads `[object Object]`. The logger's JSON encoding escapes NUL and newlines in them.
const MAX = 4_000;

function safe(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "string" ? value : String(value);
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}

/** `{ error: { name, message, code, sqlState, stack, cause } }` for the logger's fields. */
export function describeError(error: unknown): { error: Record<string, string | undefined> } {
  if (!(error instanceof Error)) {
    let text: string;
    try {
      text = typeof error === "object" ? JSON.stringify(error) : String(error);
    } catch {
      text = String(error);
    }
    return { error: { message: safe(text) } };
  }
  const { code } = error as Error & { code?: unknown };
  const cause = (error as Error & { cause?: unknown }).cause;
  return {
    error: {
      name: safe(error.name),
      message: safe(error.message),
      code: typeof code === "string" || typeof code === "number" ? safe(code) : undefined,
      stack: safe(error.stack),
      cause: cause instanceof Error ? safe(`${cause.name}: ${cause.message}`) : cause === undefined ? undefined : safe(cause),
    },
  };
}
