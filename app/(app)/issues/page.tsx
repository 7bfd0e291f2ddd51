import type { Metadata } from "next";
import type { SearchParams } from "nuqs/server";
import { Suspense } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { ExportCsvLink } from "@/components/views/export-csv-link";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { IssuesClient } from "./client";
import { issueListQuery, loadIssueSearchParams } from "./search-params";

export const metadata: Metadata = { title: "Issues" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await loadIssueSearchParams(searchParams);
  const input = issueListQuery(params);
  prefetch(trpc.issues.list.queryOptions(input));
  prefetch(trpc.issues.categories.queryOptions());
  prefetch(trpc.issues.assignees.queryOptions());
  prefetch(trpc.savedViews.list.queryOptions());
  prefetch(trpc.overview.slaPolicy.queryOptions());
  if (input.fqdnIds) prefetch(trpc.assets.fqdnOptions.queryOptions({ ids: input.fqdnIds }));
  const permissions = (await getViewer())?.permissions ?? [];
  return (
    <>
      <PageHeader
        title="Issues"
        description="Every weakness found in your APIs, and where its fix stands."
        actions={
          <Suspense>
            <ExportCsvLink href="/api/export/issues" />
          </Suspense>
        }
      />
      <HydrateClient>
        <IssuesClient
          may={{
            status: permissions.includes("issues:change_status"),
            owner: permissions.includes("issues:assign"),
            businessImpact: permissions.includes("assets:edit_business_impact"),
          }}
        />
      </HydrateClient>
    </>
  );
}
