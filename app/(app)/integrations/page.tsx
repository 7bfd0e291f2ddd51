import { Plug } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Integrations" };

export default function Page() {
  return (
    <>
      <PageHeader title="Integrations" description="Connect the tools that find problems in your APIs, and push status back to them." />
      <EmptyState icon={Plug} title="No integrations connected yet" description="Connect Salt Security to discover your APIs and import their posture gaps." />
    </>
  );
}
