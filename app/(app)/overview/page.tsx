import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { OverviewClient } from "./client";

export const metadata: Metadata = { title: "Overview" };

export default function Page() {
  prefetch(trpc.overview.sla.queryOptions());
  prefetch(trpc.overview.trend.queryOptions());
  prefetch(trpc.assets.overview.queryOptions());
  prefetch(trpc.overview.riskiestApis.queryOptions());
  prefetch(trpc.overview.integrationHealth.queryOptions());
  return (
    <>
      <PageHeader title="Overview" description="Open issues, how they move week by week, what breaches its SLA, and whether your integrations keep the data current." />
      <HydrateClient>
        <OverviewClient />
      </HydrateClient>
    </>
  );
}
