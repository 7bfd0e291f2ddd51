import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { SearchParams } from "nuqs/server";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { AuditLogClient } from "./client";
import { auditListQuery, loadAuditSearchParams } from "./search-params";
import { homePath } from "@/lib/routes";

export const metadata: Metadata = { title: "Audit log" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  if (!can({ role: viewer.role, permissions: viewer.grants }, "audit:read")) redirect(homePath);
  prefetch(trpc.audit.list.queryOptions(auditListQuery(await loadAuditSearchParams(searchParams))));
  return (
    <>
      <PageHeader title="Audit log" description="Every change that matters: who made it, when, from where, and what changed." />
      <HydrateClient>
        <AuditLogClient />
      </HydrateClient>
    </>
  );
}
