"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Notice } from "@/components/integrations/notice";
import { SeveritiesStep, vmSeverityCopy } from "@/components/integrations/severities-step";
import { VmAssessmentsStep, VmCredentialsStep, VmHeadersStep, VmStatusStep } from "@/components/integrations/snapsec-vm-steps";
import { Stepper } from "@/components/integrations/stepper";
import { useTRPC } from "@/components/trpc/client";
import { Skeleton } from "@/components/ui/skeleton";
import { vmWizardStepLabels, vmWizardSteps, type VmWizardStep } from "@/lib/integration-wizard";
import { connectHref } from "./search-params";

export function VmConnectWizard({ step, demo }: { step: VmWizardStep; demo: { baseUrl: string; apiKey: string } | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const live = useQuery(trpc.integrations.live.queryOptions({ kind: "snapsec_vm" }));
  const finish = useMutation(
    trpc.snapsecVm.finish.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        router.push("/integrations/snapsec-vm/settings?connected=true");
      },
    }),
  );
  const go = (next: VmWizardStep) => router.push(connectHref(next));

  if (live.isPending) return <Skeleton className="h-96" />;
  const integration = live.data ?? null;
  const reached = integration?.wizardStep === "done" ? "done" : ((integration?.wizardStep as VmWizardStep | undefined) ?? "credentials");

  return (
    <>
      <Stepper current={step} reached={reached} hrefFor={connectHref} steps={vmWizardSteps} labels={vmWizardStepLabels} />
      {step === "credentials" || !integration ? (
        <VmCredentialsStep integration={integration} mode="wizard" demo={demo} onContinue={() => go("headers")} />
      ) : step === "headers" ? (
        <VmHeadersStep integration={integration} mode="wizard" backHref={connectHref("credentials")} onContinue={() => go("assessments")} />
      ) : step === "assessments" ? (
        <VmAssessmentsStep integration={integration} mode="wizard" backHref={connectHref("headers")} onContinue={() => go("severities")} />
      ) : step === "severities" ? (
        <SeveritiesStep integration={integration} mode="wizard" copy={vmSeverityCopy} backHref={connectHref("assessments")} onContinue={() => go("status")} />
      ) : (
        <>
          <VmStatusStep
            integration={integration}
            mode="wizard"
            backHref={connectHref("severities")}
            finishing={finish.isPending}
            onContinue={() => finish.mutate({ id: integration.id })}
          />
          {finish.error ? (
            <Notice tone="danger" className="mt-4">
              {finish.error.message}
            </Notice>
          ) : null}
        </>
      )}
    </>
  );
}
