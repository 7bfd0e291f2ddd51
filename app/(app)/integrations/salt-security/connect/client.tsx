"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { CredentialsStep } from "@/components/integrations/credentials-step";
import { DomainsStep } from "@/components/integrations/domains-step";
import { MappingStep } from "@/components/integrations/mapping-step";
import { Notice } from "@/components/integrations/notice";
import { SeveritiesStep } from "@/components/integrations/severities-step";
import { Stepper } from "@/components/integrations/stepper";
import { useTRPC } from "@/components/trpc/client";
import { Skeleton } from "@/components/ui/skeleton";
import type { WizardStep } from "@/lib/integration-wizard";
import { connectHref } from "./search-params";

export function ConnectWizard({ step, demoKey }: { step: WizardStep; demoKey: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const live = useQuery(trpc.integrations.live.queryOptions({ kind: "salt_security" }));
  const finish = useMutation(
    trpc.integrations.finish.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
        router.push("/integrations/salt-security/settings?connected=true");
      },
    }),
  );
  const go = (next: WizardStep) => router.push(connectHref(next));

  if (live.isPending) return <Skeleton className="h-96" />;
  const integration = live.data ?? null;
  const reached = integration?.wizardStep === "done" ? "done" : ((integration?.wizardStep as WizardStep | undefined) ?? "credentials");

  return (
    <>
      <Stepper current={step} reached={reached} hrefFor={connectHref} />
      {step === "credentials" || !integration ? (
        <CredentialsStep integration={integration} mode="wizard" demoKey={demoKey} onContinue={() => go("mapping")} />
      ) : step === "mapping" ? (
        <MappingStep integration={integration} mode="wizard" backHref={connectHref("credentials")} onContinue={() => go("severities")} />
      ) : step === "severities" ? (
        <SeveritiesStep integration={integration} mode="wizard" backHref={connectHref("mapping")} onContinue={() => go("domains")} />
      ) : (
        <>
          <DomainsStep
            integration={integration}
            mode="wizard"
            backHref={connectHref("severities")}
            finishing={finish.isPending}
            onFinish={() => finish.mutate({ id: integration.id })}
          />
          {finish.error ? <Notice tone="danger" className="mt-4">{finish.error.message}</Notice> : null}
        </>
      )}
    </>
  );
}
