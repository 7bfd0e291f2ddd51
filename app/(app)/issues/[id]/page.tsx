import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import type { Permission } from "@/server/api/permissions";
import { fetchOrNotFound, HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { IssueClient } from "./client";

type Props = { params: Promise<{ id: string }> };

/** The tab says which issue: its title. */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return { title: "Issue" };
  const issue = await fetchOrNotFound(trpc.issues.byId.queryOptions({ id }));
  return { title: issue ? `${issue.title} · Issue` : "Issue" };
}

export default async function Page({ params }: Props) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const viewer = await getViewer();
  prefetch(trpc.issues.history.queryOptions({ id }));
  prefetch(trpc.issues.comments.queryOptions({ id }));
  prefetch(trpc.overview.slaPolicy.queryOptions());
  prefetch(trpc.issues.forwarding.queryOptions({ id }));
  const may = (permission: Permission) => viewer?.permissions.includes(permission) ?? false;
  // The other prefetches are under way; an unknown id ends here with the not-found page.
  await fetchOrNotFound(trpc.issues.byId.queryOptions({ id }));
  return (
    <HydrateClient>
      <IssueClient
        id={id}
        canChangeStatus={may("issues:change_status")}
        canAssign={may("issues:assign")}
        canComment={may("issues:comment")}
        canEditThreatModel={may("issues:edit_threat_model")}
      />
    </HydrateClient>
  );
}
