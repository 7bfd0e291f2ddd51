// Prometheus scrape target: `Authorization: Bearer <METRICS_TOKEN>`; 404 when METRICS_TOKEN is unset.
import { metricsResponse } from "@/server/metrics";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const answer = await metricsResponse(request.headers.get("authorization"));
  return new Response(answer.body, { status: answer.status, headers: { "content-type": answer.contentType, "cache-control": "no-store" } });
}
