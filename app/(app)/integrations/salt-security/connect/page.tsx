import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { Notice } from "@/components/integrations/notice";
import { PageHeader } from "@/components/ui/page-header";
import { getLiveIntegration } from "@/db/queries/integrations";
import { isWizardStep, stepIndex } from "@/lib/integration-wizard";
import { can } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getDb } from "@/server/db";
import { env, isDemo } from "@/server/env";
import { getViewer } from "@/server/viewer";
import { ConnectWizard } from "./client";
import { connectHref, loadConnectSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Connect Salt Security" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { step } = await loadConnectSearchParams(searchParams);
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  const header = <PageHeader title="Connect Salt Security" description="Four steps: credentials, status mapping, severity filters and the domains to import." />;
  if (!can(viewer.role, "integrations:manage")) {
    return (
      <>
        {header}
        <Notice tone="info">Only admins can connect integrations. Ask an admin of {viewer.company.name} to connect Salt Security.</Notice>
      </>
    );
  }

  const live = await getLiveIntegration(getDb(), { companyId: viewer.company.id, kind: "salt_security" });
  if (live?.state === "connected") redirect("/integrations/salt-security/settings");
  // The draft knows the furthest step reached: no step, or one not reached yet, goes there.
  const reached = live && isWizardStep(live.wizardStep) ? live.wizardStep : "credentials";
  if (!step || stepIndex(step) > stepIndex(reached)) redirect(connectHref(reached));

  prefetch(trpc.integrations.live.queryOptions({ kind: "salt_security" }));
  return (
    <>
      {header}
      <HydrateClient>
        <ConnectWizard step={step} demoKey={isDemo ? (env.SALT_DEMO_API_KEY ?? null) : null} />
      </HydrateClient>
    </>
  );
}
