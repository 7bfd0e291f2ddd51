// Vitest helper shared by the simulator's and the client's suites: one simulator per file on a free port, reset to
// the seed before each test.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startSnapsecVmSimulator, type VmSimulator } from "./server";

/** Call at the top of a test file; the returned function gives the running simulator. */
export function simulatorPerFile(): () => VmSimulator {
  let simulator: VmSimulator | undefined;
  beforeAll(async () => {
    simulator = await startSnapsecVmSimulator({ port: 0 });
  });
  afterAll(() => simulator?.close());
  beforeEach(() => simulator?.reset());
  return () => {
    if (!simulator) throw new Error("the simulator starts in beforeAll; use it inside a test");
    return simulator;
  };
}

/** JSON over HTTP, for the control API and raw API calls: status, headers, text, and the body when it is JSON. */
export async function callJson(url: string, init: RequestInit & { json?: unknown } = {}) {
  const { json: payload, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (payload !== undefined) headers.set("content-type", "application/json");
  const res = await fetch(url, { ...rest, headers, body: payload === undefined ? rest.body : JSON.stringify(payload) });
  const text = await res.text();
  const json = res.headers.get("content-type")?.includes("json") ? (JSON.parse(text) as Record<string, unknown>) : null;
  return { status: res.status, headers: res.headers, text, json };
}
