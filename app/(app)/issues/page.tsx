import { ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Issues" };

export default function Page() {
  return (
    <>
      <PageHeader title="Issues" description="Every weakness found in your APIs, and where its fix stands." />
      <EmptyState icon={ShieldAlert} title="No issues yet" description="Issues appear here once an integration imports findings." />
    </>
  );
}
