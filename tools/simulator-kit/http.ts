// HTTP scaffolding shared by the vendor simulators: JSON answers, capped body reading, a capped request log, and a
// loopback server that closes cleanly even while a call hangs (an injected "hang" fault keeps its socket open).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request a simulator's data layer refuses; the HTTP layer turns it into a status code and the vendor's error body. */
export class SimulatorInputError extends Error {
  constructor(
    readonly statusCode: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = "SimulatorInputError";
  }
}

/** An answer decided deep in a handler; the server's error handler sends it as JSON. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${statusCode}`);
  }
}

export function sendBody(
  res: ServerResponse,
  statusCode: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(statusCode, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, statusCode, "application/json; charset=utf-8", JSON.stringify(body), headers);
}

export interface BodyLimits {
  maxBytes: number;
  /** The error thrown as soon as the body passes maxBytes (the rest is not read). */
  tooLarge: () => Error;
  /** The error thrown when the body is not JSON. */
  notJson: () => Error;
  /** What an empty body reads as (default {}). */
  empty?: unknown;
}

/** Reads a JSON body; an empty body reads as `limits.empty`. A declared length above the cap is refused unread. */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  if (Number(req.headers["content-length"] ?? 0) > limits.maxBytes) throw limits.tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limits.maxBytes) throw limits.tooLarge();
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return "empty" in limits ? limits.empty : {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw limits.notJson();
  }
}

/** A bounded in-memory log (the newest `cap` entries), for a test to read what the simulator was asked. */
export class CappedLog<T> {
  private readonly entries: T[] = [];

  constructor(private readonly cap: number) {}

  push(entry: T): T {
    this.entries.push(entry);
    if (this.entries.length > this.cap) this.entries.splice(0, this.entries.length - this.cap);
    return entry;
  }

  list(): T[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
  }
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:4010 */
  origin: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** 0 picks a random free port. */
  port?: number;
  host?: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Turns an error thrown by `handle` into an answer; not called when the answer has already started. */
  onError(error: unknown, res: ServerResponse): void;
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator.local");
    options.handle(req, res, url).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      // A body left unread (too large) would be read as the next request on a kept-alive connection: close it.
      if (!req.complete) res.setHeader("connection", "close");
      options.onError(error, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    origin: `http://${hostForUrl}:${address.port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits `ms` when positive (injected latency). */
export async function delay(ms: number): Promise<void> {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** A whole, non-negative command-line option; exits with a usage error otherwise. */
export function intOption(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${flag} must be a non-negative integer, got "${value}"`);
    process.exit(2);
  }
  return n;
}

/** For a simulator's command line: closes it on Ctrl-C or SIGTERM, then exits. */
export function closeOnSignals(server: { close(): Promise<void> }): void {
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
