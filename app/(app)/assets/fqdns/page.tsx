import { Globe } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "FQDNs" };

export default function Page() {
  return (
    <>
      <PageHeader title="FQDNs" description="Every domain your integrations discovered, with its risk." />
      <EmptyState icon={Globe} title="No domains yet" description="Connect Salt Security to discover your APIs." />
    </>
  );
}
