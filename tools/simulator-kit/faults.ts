// Injected faults on a simulator's public API calls: a share of calls (rate, optional count) fails the way the
// vendor or a network might. Each simulator renders the status answers in its vendor's own body format.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRandom, type Random } from "./random";

export type RetryAfter = { seconds: number } | { httpDate: string };

interface FaultScope {
  /** Share of matching calls hit, 0..1 (default 1). Draws come from the seeded generator, so runs repeat. */
  rate?: number;
  /** Stop after this many hits. */
  count?: number;
  /** Only calls with this HTTP method. */
  method?: string;
  /** Only calls whose API path (after any region prefix) starts with this, e.g. "/v1/inventory". */
  pathPrefix?: string;
}

export type FaultSpec = FaultScope &
  (
    | { kind: "429"; retryAfter?: RetryAfter }
    | { kind: "500" | "502" | "503"; retryAfter?: RetryAfter }
    | { kind: "latency"; latencyMs: number }
    | { kind: "hang" }
    | { kind: "reset" }
  );

export interface ActiveFault {
  id: number;
  spec: FaultSpec;
  hits: number;
}

export type FaultDecision =
  | { kind: "status"; statusCode: 429 | 500 | 502 | 503; retryAfter?: string }
  | { kind: "hang" }
  | { kind: "reset" }
  | { kind: "none" };

const FAULT_KINDS = new Set(["429", "500", "502", "503", "latency", "hang", "reset"]);

export function validateFault(input: unknown): FaultSpec {
  if (typeof input !== "object" || input === null) throw new Error("fault must be an object");
  const spec = input as Record<string, unknown>;
  if (typeof spec.kind !== "string" || !FAULT_KINDS.has(spec.kind)) {
    throw new Error(`fault kind must be one of ${[...FAULT_KINDS].join(", ")}`);
  }
  if (spec.rate !== undefined && (typeof spec.rate !== "number" || spec.rate < 0 || spec.rate > 1)) {
    throw new Error("fault rate must be a number from 0 to 1");
  }
  if (spec.count !== undefined && (typeof spec.count !== "number" || spec.count < 0)) {
    throw new Error("fault count must be a non-negative number");
  }
  if (spec.kind === "latency" && (typeof spec.latencyMs !== "number" || spec.latencyMs < 0)) {
    throw new Error("latency fault needs latencyMs >= 0");
  }
  const retryAfter = spec.retryAfter as Record<string, unknown> | undefined;
  if (retryAfter !== undefined) {
    const ok =
      (typeof retryAfter === "object" && retryAfter !== null && typeof retryAfter.seconds === "number") ||
      (typeof retryAfter === "object" && retryAfter !== null && typeof retryAfter.httpDate === "string");
    if (!ok) throw new Error("retryAfter must be { seconds: number } or { httpDate: string }");
  }
  return input as FaultSpec;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  private random: Random;

  constructor(private seed: number) {
    this.random = createRandom(seed ^ 0xfa17);
  }

  add(spec: FaultSpec): ActiveFault {
    const fault = { id: this.nextId++, spec: validateFault(spec), hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
    this.random = createRandom(this.seed ^ 0xfa17);
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Latency faults add up and let the call continue; the first terminal fault that fires decides the answer. */
  decide(method: string, apiPath: string): { latencyMs: number; decision: FaultDecision } {
    let latencyMs = 0;
    for (const fault of this.faults) {
      const { spec } = fault;
      if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) continue;
      if (spec.pathPrefix && !apiPath.startsWith(spec.pathPrefix)) continue;
      if (spec.count !== undefined && fault.hits >= spec.count) continue;
      if (this.random() >= (spec.rate ?? 1)) continue;
      fault.hits++;
      switch (spec.kind) {
        case "latency":
          latencyMs += spec.latencyMs;
          continue;
        case "hang":
          return { latencyMs, decision: { kind: "hang" } };
        case "reset":
          return { latencyMs, decision: { kind: "reset" } };
        default: {
          const statusCode = Number(spec.kind) as 429 | 500 | 502 | 503;
          const retryAfter =
            spec.retryAfter === undefined
              ? undefined
              : "seconds" in spec.retryAfter
                ? String(spec.retryAfter.seconds)
                : spec.retryAfter.httpDate;
          return { latencyMs, decision: { kind: "status", statusCode, retryAfter } };
        }
      }
    }
    return { latencyMs, decision: { kind: "none" } };
  }
}

/**
 * Carries out the fault decision for one API call: waits the added latency, then hangs, resets the connection, or
 * lets `answerStatus` send the vendor's own error answer. Returns what happened (for the request log), or null
 * when no terminal fault fired and the call should be served normally.
 */
export async function applyFaults(
  faults: FaultInjector,
  req: IncomingMessage,
  res: ServerResponse,
  apiPath: string,
  answerStatus: (statusCode: 429 | 500 | 502 | 503, retryAfter: string | undefined) => void,
): Promise<number | "hang" | "reset" | null> {
  const { latencyMs, decision } = faults.decide(req.method ?? "GET", apiPath);
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  switch (decision.kind) {
    case "hang":
      return "hang"; // never answered; the client's timeout or the server's close() ends it
    case "reset":
      req.socket.resetAndDestroy();
      return "reset";
    case "status":
      answerStatus(decision.statusCode, decision.retryAfter);
      return decision.statusCode;
    case "none":
      return null;
  }
}

/**
 * The control API's fault routes, the same on every simulator: GET lists, POST adds (400 with the reason when the
 * spec is invalid), DELETE /:id removes one, DELETE removes all. Returns null for any other method.
 */
export function faultControl(
  faults: FaultInjector,
  method: string,
  id: string | undefined,
  fields: unknown,
): { status: number; body: unknown } | null {
  if (method === "GET") return { status: 200, body: faults.list() };
  if (method === "POST") {
    try {
      return { status: 201, body: faults.add(validateFault(fields)) };
    } catch (error) {
      return { status: 400, body: { message: (error as Error).message } };
    }
  }
  if (method === "DELETE" && id) return { status: 200, body: { removed: faults.remove(Number(id)) } };
  if (method === "DELETE") {
    faults.clear();
    return { status: 200, body: { ok: true } };
  }
  return null;
}
