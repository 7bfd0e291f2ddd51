// Reading a vendor's JSON answer with a zod schema, naming the field that did not match so a changed API is obvious.
import type { z } from "zod";

/** "response[3].severity: Invalid option: expected one of ..." */
export function describeSchemaError(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: "(body)", message: "invalid" };
  const field =
    issue.path.length === 0
      ? "(body)"
      : issue.path
          .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
          .join("");
  return { field, message: `${field}: ${issue.message}` };
}

/**
 * Parses `text` as JSON and checks it against `schema`. On failure calls `unexpected(detail, field)`, which returns
 * the client's own classified error to throw.
 */
export function parseJsonAs<S extends z.ZodType>(
  text: string,
  schema: S,
  unexpected: (detail: string, field?: string) => Error,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw unexpected("the body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const { field, message } = describeSchemaError(parsed.error);
    throw unexpected(message, field);
  }
  return parsed.data;
}
