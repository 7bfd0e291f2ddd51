import { Boxes } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "APIs" };

export default function Page() {
  return (
    <>
      <PageHeader title="APIs" description="Every API endpoint across your associated domains." />
      <EmptyState icon={Boxes} title="No APIs yet" description="Connect Salt Security and associate a domain to import its endpoints." />
    </>
  );
}
