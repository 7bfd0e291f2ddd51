"use client";
import { useMutation } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";

/** "Sync now" for members granted Vulnerability Vendor Import who cannot open the integration's settings. */
export function ImportButton({ integrationId }: { integrationId: string }) {
  const trpc = useTRPC();
  const sync = useMutation(trpc.sync.syncIntegration.mutationOptions());
  return (
    <div className="flex items-center gap-2">
      <span aria-live="polite" className="text-xs text-slate-500">
        {sync.isSuccess ? `Queued ${sync.data.queued} domain${sync.data.queued === 1 ? "" : "s"}` : sync.isError ? sync.error.message : null}
      </span>
      <Button variant="secondary" size="sm" disabled={sync.isPending} onClick={() => sync.mutate({ integrationId })}>
        <RefreshCw aria-hidden className={sync.isPending ? "animate-spin" : undefined} /> Sync now
      </Button>
    </div>
  );
}
