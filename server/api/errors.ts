// What a person sees when a request fails unexpectedly: a classified sentence and an error id, never the
// underlying text (a database error holds the SQL, its parameters and internal ids). The details go to the
// log under the same id, so an administrator can find them.
import { randomBytes } from "node:crypto";
import { logger } from "@/server/logger";

export function newErrorId(): string {
  return randomBytes(6).toString("hex");
}

type Classified = { kind: "database_unavailable" | "timeout" | "internal"; message: string };

const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "57P01", "57P02", "57P03", "53300", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

export function classifyInternalError(error: unknown): Classified {
  const codes = codesOf(error);
  if (codes.some((code) => UNAVAILABLE_CODES.has(code))) {
    return { kind: "database_unavailable", message: "Postura's database is unavailable right now. Try again in a minute." };
  }
  if (codes.includes("57014") || codes.includes("ETIMEDOUT")) {
    return { kind: "timeout", message: "This took too long and was stopped. Try again, or narrow the filters." };
  }
  return { kind: "internal", message: "Something went wrong on our side." };
}

/** Logs the failure with a new error id and returns the sentence to show instead of the error's own text. */
export function publicInternalError(error: unknown, context: Record<string, unknown> = {}): { errorId: string; message: string; kind: Classified["kind"] } {
  const errorId = newErrorId();
  const { kind, message } = classifyInternalError(error);
  logger.error("request failed", { ...context, errorId, kind, error });
  return { errorId, kind, message: `${message} If it keeps happening, give your administrator error id ${errorId}.` };
}

// A stored error message that is really a database error (Drizzle's "Failed query: …", PostgreSQL's own
// wording): shown to every role, so it is replaced by a classified sentence.
const DATABASE_TEXT = /failed query:|\b(insert into|update \S+ set|delete from|select .+ from)\b|\bparams:|violates .* constraint|invalid byte sequence|syntax error at or near/i;

export function withoutDatabaseText(message: string | null): string | null {
  if (message === null || !DATABASE_TEXT.test(message)) return message;
  return "An internal error stopped this run (the details are in the server log).";
}
