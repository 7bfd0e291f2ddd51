// An access gateway in front of the workspace (what Cloudflare Access or an API gateway does): without the headers it
// requires, the API is never reached and the caller gets an HTML login page, as a 403 or as a redirect to one.
import { missingRequiredHeader } from "./keys";

export interface GatewayConfig {
  /** Header name → exact value; every one must be present. */
  headers: Record<string, string>;
  /** "403" answers 403 text/html at once; "redirect" answers 302 to a login page that itself answers 200 text/html. */
  mode: "403" | "redirect";
}

export const GATEWAY_LOGIN_PATH = "/cdn-cgi/access/login";

export const GATEWAY_LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in ・ Access</title></head>
<body><main><h1>Sign in to continue</h1><p>This application is protected by an access gateway.</p>
<form method="post" action="${GATEWAY_LOGIN_PATH}"><label>Email <input name="email" type="email"></label>
<button type="submit">Send me a code</button></form></main></body></html>
`;

export function validateGateway(input: unknown): GatewayConfig {
  const config = input as Partial<GatewayConfig> | null;
  const headers = config?.headers;
  if (typeof headers !== "object" || headers === null || Object.keys(headers).length === 0) {
    throw new Error("gateway needs headers: { name: value, ... } (at least one)");
  }
  if (!Object.values(headers).every((v) => typeof v === "string" && v !== "")) {
    throw new Error("gateway header values must be non-empty strings");
  }
  const mode = config?.mode ?? "403";
  if (mode !== "403" && mode !== "redirect") throw new Error('gateway mode must be "403" or "redirect"');
  const lowerCased = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { headers: lowerCased, mode };
}

/** True when the request carries every header the gateway requires (same matching rule as header-bound keys). */
export function passesGateway(gateway: GatewayConfig, headers: Record<string, string | string[] | undefined>): boolean {
  return missingRequiredHeader(gateway.headers, headers) === undefined;
}
