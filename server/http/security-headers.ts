// The security headers every response carries. The static ones are set in next.config.ts for every path
// (static assets too); the CSP (a fresh nonce per page) and HSTS are set per request by proxy.ts.

/** Headers that never change: no MIME sniffing, no framing, no full URLs sent to other sites. */
export const staticSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
] as const;

/**
 * Scripts run only with this request's nonce ('strict-dynamic' lets Next's own chunk loader add more). Styles
 * allow inline: React renders `style` attributes (Radix positioning, drag-and-drop transforms), which a nonce
 * cannot cover, and a style cannot run code. `frame-ancestors 'none'` stops other sites framing any page.
 */
export function contentSecurityPolicy(nonce: string, { development = false }: { development?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // Next's dev server evaluates modules with eval() for fast refresh; production never needs it.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** HSTS only when the public origin is https: on plain http the browser ignores it, and localhost must keep working. */
export function strictTransportSecurity(appUrl: string | undefined): string | null {
  return appUrl?.startsWith("https://") ? "max-age=31536000; includeSubDomains" : null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** A request id from a trusted-looking upstream header (load balancer), or a new one. Never raw input in logs. */
export function requestIdFrom(header: string | null): string {
  return header && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}
