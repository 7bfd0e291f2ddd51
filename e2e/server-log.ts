// Where scripts/e2e-server.mjs keeps the stderr of the e2e server on a port (read by e2e/test.ts).
export function serverLogFile(port: number | string): string {
  return `.e2e-logs/server-${port}.log`;
}
