import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { withRequestLog } from "@/server/http/request-log";

export const runtime = "nodejs";

// Unexpected errors are logged (with an error id the user also sees) by the errorFormatter in server/api/trpc.ts.
function handler(req: Request) {
  return withRequestLog(req, () =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      createContext: () => createTRPCContext({ headers: req.headers }),
    }),
  );
}

export { handler as GET, handler as POST };
