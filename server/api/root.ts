import { assetsRouter } from "./routers/assets";
import { auditRouter } from "./routers/audit";
import { connectorsRouter } from "./routers/connectors";
import { integrationsRouter } from "./routers/integrations";
import { issuesRouter } from "./routers/issues";
import { meRouter } from "./routers/me";
import { notificationsRouter } from "./routers/notifications";
import { overviewRouter } from "./routers/overview";
import { membersRouter } from "./routers/members";
import { setupRouter } from "./routers/setup";
import { savedViewsRouter } from "./routers/saved-views";
import { snapsecVmRouter } from "./routers/snapsec-vm";
import { syncRouter } from "./routers/sync";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  me: meRouter,
  overview: overviewRouter,
  assets: assetsRouter,
  issues: issuesRouter,
  savedViews: savedViewsRouter,
  integrations: integrationsRouter,
  snapsecVm: snapsecVmRouter,
  connectors: connectorsRouter,
  sync: syncRouter,
  setup: setupRouter,
  members: membersRouter,
  audit: auditRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
