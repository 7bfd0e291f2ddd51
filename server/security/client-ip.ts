// The client's IP address, for sign-in rate limits and the audit log's "from where".
//
// Next.js passes a client's own X-Forwarded-For through unchanged (it only fills the header in when absent), so
// the header alone proves nothing. At start-up we stamp every incoming request with the TCP peer's address
// (`PEER_ADDRESS_HEADER`, overwriting anything the client sent); forwarded headers are then believed only for the
// hops that come from a proxy listed in TRUSTED_PROXIES, walking X-Forwarded-For from the right as proxies append.
import { BlockList, isIP } from "node:net";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { env } from "@/server/env";

export const PEER_ADDRESS_HEADER = "x-postura-peer-address";

let stamping = false;

/**
 * Called once per process (instrumentation.ts). Node publishes this channel before the server's request handler
 * runs, so every request Next sees carries the peer address we saw, not one the client chose.
 */
export function stampPeerAddresses(): void {
  if (stamping) return;
  stamping = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_ADDRESS_HEADER] = normalise(socket.remoteAddress ?? "") ?? "";
  });
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; anything that is not an address → null. */
function normalise(value: string): string | null {
  const trimmed = value.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(trimmed) ? trimmed : null;
}

function trustedProxyList(spec: string | undefined): BlockList | null {
  if (!spec) return null;
  const list = new BlockList();
  for (const entry of spec.split(",")) {
    const [address = "", prefix] = entry.trim().split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

let cached: { spec: string | undefined; list: BlockList | null } | null = null;
function trustedProxies(): BlockList | null {
  if (!cached || cached.spec !== env.TRUSTED_PROXIES) cached = { spec: env.TRUSTED_PROXIES, list: trustedProxyList(env.TRUSTED_PROXIES) };
  return cached.list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client address for a request, or null when it cannot be known (a request that did not come through our
 * HTTP server, e.g. a server-side call). Without TRUSTED_PROXIES the peer address is the answer, whatever
 * X-Forwarded-For says.
 */
export function clientIpFromHeaders(headers: Headers, proxies: BlockList | null = trustedProxies()): string | null {
  const peer = normalise(headers.get(PEER_ADDRESS_HEADER) ?? "");
  if (!peer) return null;
  if (!proxies || !isTrusted(proxies, peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => normalise(hop));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!hop) return peer; // a malformed hop: nothing left of it can be believed
    if (!isTrusted(proxies, hop)) return hop;
  }
  return hops[0] ?? peer;
}

export { trustedProxyList };
