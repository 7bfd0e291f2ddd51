// "Send test event": Postura posts the Salt template, with the real token, to its own public webhook URL, the way
// Salt's cloud would. It proves the URL, the company id, the token and the receiver work end to end; whether Salt
// can reach that URL from the internet only a delivery from Salt proves (see unreachableFromInternet).
import { saltWebhookTemplate, WEBHOOK_TEST_EVENT } from "@/lib/integration-wizard";

const TIMEOUT_MS = 5_000;

export type TestEventResult = { ok: true; httpStatus: number } | { ok: false; httpStatus: number | null; message: string };

export async function sendTestWebhook({ url, companyId, webhookToken }: { url: string; companyId: string; webhookToken: string }): Promise<TestEventResult> {
  const body = saltWebhookTemplate({ companyId, webhookToken }).replaceAll("{{host}}", "postura-test-event").replaceAll("{{eventType}}", WEBHOOK_TEST_EVENT);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { ok: false, httpStatus: null, message: `Postura could not reach ${url} (${cause}). Check that APP_URL is the address this server answers on.` };
  }
  if (response.status === 202) {
    const answer = (await response.json().catch(() => ({}))) as { test?: unknown };
    if (answer.test === true) return { ok: true, httpStatus: 202 };
    return { ok: false, httpStatus: 202, message: `${url} answered, but not as Postura's webhook does. Check that APP_URL points at this Postura.` };
  }
  const answer = (await response.json().catch(() => ({}))) as { error?: unknown };
  const reason = typeof answer.error === "string" ? `: ${answer.error}` : "";
  return { ok: false, httpStatus: response.status, message: `The webhook answered HTTP ${response.status}${reason}.` };
}
