// Salt Security's Custom Webhook target. Thin: the size cap, parsing, authentication and queueing live in
// server/sync/webhook.ts, which documents what each status code tells Salt. Here: the per-source limit on
// refused deliveries (server/webhooks/rejections.ts), metrics, and a 500 that carries no internals.
//  429: this address sent too many refused deliveries; Retry-After says when to try again. A correctly
//       configured Salt tenant never sees it: only refusals count.
//  500: an unexpected failure, logged under the error id in the body. A retry may succeed.
import { publicInternalError } from "@/server/api/errors";
import { databaseReady, getDb } from "@/server/db";
import { withRequestLog } from "@/server/http/request-log";
import { countWebhookDelivery } from "@/server/metrics";
import { receiveSaltWebhook } from "@/server/sync/webhook";
import { noteRejectionFrom, sourceAddress, sourceRetryAfter } from "@/server/webhooks/rejections";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function answer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  countWebhookDelivery(status);
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

export async function POST(request: Request) {
  return withRequestLog(request, async () => {
    const source = sourceAddress(request.headers);
    const retryAfter = await sourceRetryAfter(source);
    if (retryAfter !== null) {
      return answer(429, { error: "too many refused deliveries from this address; retry later" }, { "retry-after": String(retryAfter) });
    }
    try {
      await databaseReady();
      const result = await receiveSaltWebhook(getDb(), request);
      // 503 is our failure, not the sender's: it does not count against the address.
      if (result.status >= 400 && result.status !== 503) await noteRejectionFrom(source);
      return answer(result.status, result.body);
    } catch (error) {
      const { errorId } = publicInternalError(error, { route: "salt webhook" });
      return answer(500, { error: "internal error; retry later", errorId });
    }
  });
}
