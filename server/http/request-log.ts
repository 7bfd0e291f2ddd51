// Route handlers run inside withRequestLog so every log line their work writes carries the request id that
// proxy.ts gave the request (also returned to the client as X-Request-Id).
import { withLogContext } from "@/server/logger";
import { requestIdFrom } from "./security-headers";

export function withRequestLog<T>(request: Request, fn: () => Promise<T>): Promise<T> {
  return withLogContext({ requestId: requestIdFrom(request.headers.get("x-request-id")) }, fn);
}
