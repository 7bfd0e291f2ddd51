// Readiness for a load balancer: 200 when the database answers and the queue is reachable, else 503 naming
// what is not (and nothing more: the answer is public).
import { checkReadiness } from "@/server/readiness";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
