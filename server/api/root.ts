import { assetsRouter } from "./routers/assets";
import { integrationsRouter } from "./routers/integrations";
import { issuesRouter } from "./routers/issues";
import { meRouter } from "./routers/me";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  me: meRouter,
  assets: assetsRouter,
  issues: issuesRouter,
  integrations: integrationsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
