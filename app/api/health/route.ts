// Liveness for a load balancer: the process answers. Touches nothing else, so a slow database never gets a
// healthy process restarted (readiness is /api/ready).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
