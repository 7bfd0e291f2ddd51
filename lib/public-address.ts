// Whether a URL's host can be reached from the internet: Salt Security's cloud sends webhooks from outside, so an
// APP_URL on a loopback, private, link-local or .local address can never receive them.
export function unreachableFromInternet(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return "it is not a valid URL";
  }
  if (host === "localhost" || host.endsWith(".localhost")) return "it is this machine (localhost)";
  if (host.endsWith(".local") || host.endsWith(".internal") || host.endsWith(".lan") || !host.includes(".") && !host.includes(":")) {
    return "it is a name only your local network knows";
  }
  const v4 = host.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 127) return "it is this machine (a loopback address)";
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "it is a private network address";
    if (a === 169 && b === 254) return "it is a link-local address";
    if (a === 100 && b >= 64 && b <= 127) return "it is a carrier-grade NAT address";
    if (a === 0) return "it is not a routable address";
    return null;
  }
  if (host === "::1") return "it is this machine (a loopback address)";
  if (/^f[cd][0-9a-f]{2}:/.test(host)) return "it is a private network address";
  if (/^fe[89ab][0-9a-f]:/.test(host)) return "it is a link-local address";
  return null;
}
