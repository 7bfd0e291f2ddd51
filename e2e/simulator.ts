// The Salt simulator each e2e server runs in-process, on a fixed port (its server's port + 1000), so specs can
// read its control API (write-back log, webhook log) over loopback HTTP.
import type { TestInfo } from "@playwright/test";

export function simulatorUrl(info: TestInfo): string {
  const base = new URL(String(info.project.use.baseURL));
  return `http://127.0.0.1:${Number(base.port) + 1000}`;
}

export async function simulatorWriteLog(info: TestInfo): Promise<{ postureGapId: string; from: string; to: string; changed: boolean }[]> {
  const response = await fetch(`${simulatorUrl(info)}/__control/write-log`);
  if (!response.ok) throw new Error(`write-log: ${response.status}`);
  const body = (await response.json()) as unknown;
  return (Array.isArray(body) ? body : (body as { response: never[] }).response) as never;
}

/** The Snapsec VM simulator of the same server, on its port + 2000. */
export function vmSimulatorUrl(info: TestInfo): string {
  const base = new URL(String(info.project.use.baseURL));
  return `http://127.0.0.1:${Number(base.port) + 2000}`;
}
