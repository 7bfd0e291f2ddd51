import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { Notice } from "@/components/integrations/notice";
import { PageHeader } from "@/components/ui/page-header";
import { getLiveIntegration } from "@/db/queries/integrations";
import { isWizardStep, stepIndex, vmWizardSteps, type VmWizardStep } from "@/lib/integration-wizard";
import { can } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getDb } from "@/server/db";
import { env, isDemo } from "@/server/env";
import { getViewer } from "@/server/viewer";
import { VmConnectWizard } from "./client";
import { connectHref, loadConnectSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Connect Snapsec VM" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { step } = await loadConnectSearchParams(searchParams);
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  const header = (
    <PageHeader
      title="Connect Snapsec VM"
      description="Forward Postura's issues to Snapsec Vulnerability Management: credentials, custom headers, assessment mapping, severity filters and status auto-sync."
    />
  );
  if (!can(viewer.role, "integrations:manage")) {
    return (
      <>
        {header}
        <Notice tone="info">Only admins can connect integrations. Ask an admin of {viewer.company.name} to connect Snapsec VM.</Notice>
      </>
    );
  }
  const live = await getLiveIntegration(getDb(), { companyId: viewer.company.id, kind: "snapsec_vm" });
  if (live?.state === "connected") redirect("/integrations/snapsec-vm/settings");
  const reached: VmWizardStep = live && isWizardStep(live.wizardStep, vmWizardSteps) ? (live.wizardStep as VmWizardStep) : "credentials";
  if (!step || stepIndex(step, vmWizardSteps) > stepIndex(reached, vmWizardSteps)) redirect(connectHref(reached));

  prefetch(trpc.integrations.live.queryOptions({ kind: "snapsec_vm" }));
  const demo = isDemo && env.SNAPSEC_VM_DEMO_BASE_URL && env.SNAPSEC_VM_DEMO_API_KEY ? { baseUrl: env.SNAPSEC_VM_DEMO_BASE_URL, apiKey: env.SNAPSEC_VM_DEMO_API_KEY } : null;
  return (
    <>
      {header}
      <HydrateClient>
        <VmConnectWizard step={step} demo={demo} />
      </HydrateClient>
    </>
  );
}
