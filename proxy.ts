// Runs before every page and API route: gives the request an id (logged on every line it causes, and returned
// as X-Request-Id), and gives pages a Content-Security-Policy with a fresh script nonce, which Next.js reads
// from the request's CSP header and puts on its own inline scripts. HSTS when APP_URL is https.
import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, requestIdFrom, strictTransportSecurity } from "@/server/http/security-headers";

export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers.get("x-request-id"));
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, { development: process.env.NODE_ENV === "development" });
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Request-Id", requestId);
  const hsts = strictTransportSecurity(process.env.APP_URL);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // Everything but Next's immutable build assets (their headers come from next.config.ts).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
