import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import type { Permission } from "@/server/api/permissions";
import { HydrateClient, prefetch, trpc } from "@/server/api/rsc";
import { getViewer } from "@/server/viewer";
import { IssueClient } from "./client";

export const metadata: Metadata = { title: "Issue" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const viewer = await getViewer();
  prefetch(trpc.issues.byId.queryOptions({ id }));
  prefetch(trpc.issues.history.queryOptions({ id }));
  prefetch(trpc.issues.comments.queryOptions({ id }));
  prefetch(trpc.issues.forwarding.queryOptions({ id }));
  const may = (permission: Permission) => viewer?.permissions.includes(permission) ?? false;
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
