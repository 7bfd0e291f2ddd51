// The two ways a notification leaves Postura: a POST of Slack's incoming-webhook JSON to the admin's URL, and an
// e-mail through the admin's SMTP relay. Admins' URLs are still hostile: no redirects are followed, every call
// times out, and only the start of an answer is read.
import nodemailer from "nodemailer";
import type { SmtpSettings } from "@/db/schema";
import { parseRetryAfter } from "@/server/integrations/http/exchange";

export const NOTIFICATION_TIMEOUT_MS = 10_000;
/** The most of an answer read and kept. */
const ANSWER_BYTES = 2_000;
/** A longer Retry-After is capped: the next attempt still comes within the hour. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

export type SendOutcome =
  | { ok: true; statusCode: number | null; response: string }
  | { ok: false; retryable: boolean; statusCode: number | null; response: string | null; error: string; retryAfterMs?: number };

export type SlackMessage = { text: string; blocks?: unknown[] };

/** Reads at most ANSWER_BYTES of a body, then stops (a huge or endless answer is not waited for). */
async function answerStart(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return cleanAnswer(Buffer.concat(chunks).toString("utf8"));
}

/** An answer fit to store and show: no control characters, at most 500 characters. */
export function cleanAnswer(text: string): string {
  return text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, " ").trim().slice(0, 500);
}

export async function postToWebhook(url: string, message: SlackMessage): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Postura-Notifications" },
      body: JSON.stringify(message),
      // A redirect could point anywhere (another host, an internal address): it is an answer, not followed.
      redirect: "manual",
      signal: AbortSignal.timeout(NOTIFICATION_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      retryable: true,
      statusCode: null,
      response: null,
      error: timedOut ? `No answer within ${NOTIFICATION_TIMEOUT_MS / 1000} s.` : `Could not reach the webhook URL (${cleanAnswer(String((error as Error).cause ?? error))}).`,
    };
  }
  const body = await answerStart(response);
  if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, response: body };
  if (response.status >= 300 && response.status < 400) {
    return { ok: false, retryable: false, statusCode: response.status, response: body, error: "The webhook URL redirects; redirects are not followed. Use the final URL." };
  }
  const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  return {
    ok: false,
    retryable,
    statusCode: response.status,
    response: body,
    error: retryable ? `The webhook answered ${response.status}; tried again later.` : `The webhook refused the message (${response.status}).`,
    ...(retryAfterMs !== undefined ? { retryAfterMs: Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) } : {}),
  };
}

export type MailMessage = { subject: string; text: string };

export async function sendMail(smtp: SmtpSettings, password: string | null, message: MailMessage): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === "tls",
    requireTLS: smtp.tls === "starttls",
    ignoreTLS: smtp.tls === "none",
    auth: smtp.user ? { user: smtp.user, pass: password ?? "" } : undefined,
    connectionTimeout: NOTIFICATION_TIMEOUT_MS,
    greetingTimeout: NOTIFICATION_TIMEOUT_MS,
    socketTimeout: NOTIFICATION_TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({ from: smtp.from, to: smtp.recipients, subject: message.subject, text: message.text });
    const code = Number(/^(\d{3})/.exec(info.response ?? "")?.[1] ?? NaN);
    return { ok: true, statusCode: Number.isNaN(code) ? null : code, response: cleanAnswer(info.response ?? "") };
  } catch (error) {
    const e = error as Error & { responseCode?: number; response?: string; code?: string };
    // SMTP's 4xx replies are transient by definition; 5xx (bad credentials, refused recipient) are not.
    const retryable = e.responseCode === undefined || e.responseCode < 500;
    return {
      ok: false,
      retryable,
      statusCode: e.responseCode ?? null,
      response: e.response ? cleanAnswer(e.response) : null,
      error: cleanAnswer(e.code === "EAUTH" ? "The SMTP server refused the user name or password." : e.message),
    };
  } finally {
    transport.close();
  }
}
