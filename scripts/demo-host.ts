// Where `npm run demo` listens. Its admin password is printed in the README, so it stays on loopback unless
// the person running it asks for more with HOST.
export const DEMO_DEFAULT_HOST = "127.0.0.1";

export function demoHost(host: string | undefined): string {
  return host ?? DEMO_DEFAULT_HOST;
}

export function demoListeningMessage(host: string, port: number): string {
  const loopback = host === "127.0.0.1" || host === "::1" || host === "localhost";
  const where = `Postura is starting on http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return loopback
    ? `${where} (this machine only; set HOST=0.0.0.0 to accept other machines — the demo password is public).`
    : `${where} — listening on ${host}, reachable from other machines. The demo accounts' password is public: anyone who can reach this port can sign in as admin.`;
}
