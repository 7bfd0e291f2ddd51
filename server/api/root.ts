import { assetsRouter } from "./routers/assets";
import { integrationsRouter } from "./routers/integrations";
import { issuesRouter } from "./routers/issues";
import { meRouter } from "./routers/me";
import { syncRouter } from "./routers/sync";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  me: meRouter,
  assets: assetsRouter,
  issues: issuesRouter,
  integrations: integrationsRouter,
  sync: syncRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
