import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
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
  prefetch(trpc.issues.forwarding.queryOptions({ id }));
  return (
    <HydrateClient>
      <IssueClient
        id={id}
        canChangeStatus={viewer?.permissions.includes("issues:change_status") ?? false}
        canEditThreatModel={viewer?.permissions.includes("issues:edit_threat_model") ?? false}
      />
    </HydrateClient>
  );
}
