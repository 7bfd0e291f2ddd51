// Salt Security's Custom Webhook target. Thin: the size cap, parsing, authentication and queueing live in
// server/sync/webhook.ts, which documents what each status code tells Salt.
import { getDb, databaseReady } from "@/server/db";
import { receiveSaltWebhook } from "@/server/sync/webhook";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  await databaseReady();
  const answer = await receiveSaltWebhook(getDb(), request);
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store" } });
}
