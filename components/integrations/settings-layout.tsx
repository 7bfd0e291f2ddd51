"use client";
// The frame every integration's Settings page shares: the header with its actions, a strip of facts about the
// connection, notices, the tabs (the wizard's steps, editable), and the danger zone that removes the integration.
// Each integration fills it with its own steps and mutations; what a person sees around them is the same.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, Trash2, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ConfirmDialog, DangerZone, DangerZoneRow } from "@/components/integrations/confirm-dialog";
import { Notice } from "@/components/integrations/notice";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useTRPC } from "@/components/trpc/client";
import type { IntegrationKind } from "@/db/schema";

/**
 * The company's live integration of a kind, with what its settings page does after a change: refresh it (a check
 * or test stamped it), or leave for the catalog once it is removed.
 */
export function useLiveIntegration(kind: IntegrationKind) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const live = useQuery(trpc.integrations.live.queryOptions({ kind }));
  return {
    live,
    refresh: () => queryClient.invalidateQueries({ queryKey: trpc.integrations.live.queryKey({ kind }) }),
    leave: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
      router.push("/integrations");
    },
  };
}

/** A header button that spins while its request runs (and cannot be pressed twice meanwhile). */
export type SettingsAction = { label: string; icon: LucideIcon; pending: boolean; onClick: () => void };

export type SettingsTabSpec<T extends string> = { value: T; label: string; content: ReactNode };

export type Removal = {
  /** The danger zone's row title and the dialog's action, e.g. "Remove integration" or "Disconnect". */
  actionLabel: string;
  rowTitle: string;
  rowDescription: ReactNode;
  dialogTitle: string;
  dialogDescription: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
};

/** "<name> is not connected" with the way back, for a settings page whose integration is gone. */
export function NotConnected({ name }: { name: string }) {
  return (
    <Notice tone="info">
      {name} is not connected.{" "}
      <Link href="/integrations" className="font-medium underline">
        Back to integrations
      </Link>
    </Notice>
  );
}

/** One fact in the connection strip: "Region US". */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span className="text-slate-600">
      {label} <span className="font-medium break-all text-slate-900">{children}</span>
    </span>
  );
}

export function IntegrationSettingsLayout<T extends string>({
  name,
  description,
  actions,
  facts,
  children,
  tabs,
  tab,
  onTabChange,
  removal,
}: {
  name: string;
  description: string;
  actions: readonly SettingsAction[];
  /** Shown after the Connected badge. */
  facts: ReactNode;
  /** Notices and panels between the strip and the tabs. */
  children?: ReactNode;
  tabs: readonly SettingsTabSpec<T>[];
  tab: T;
  onTabChange: (tab: T) => void;
  removal: Removal;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <PageHeader
        title={name}
        description={description}
        actions={actions.map(({ label, icon: Icon, pending, onClick }) => (
          <Button key={label} variant="secondary" disabled={pending} onClick={onClick}>
            {pending ? <Loader2 aria-hidden className="animate-spin" /> : <Icon aria-hidden />}
            {label}
          </Button>
        ))}
      />
      <div className="mb-5 space-y-3">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
          <Badge tone="success">Connected</Badge>
          {facts}
        </div>
        {children}
      </div>

      <Tabs value={tab} onValueChange={(value) => onTabChange(value as T)}>
        <TabsList>
          {tabs.map((t) => (
            <TabsTrigger key={t.value} value={t.value}>
              {t.label}
            </TabsTrigger>
          ))}
        </TabsList>
        {tabs.map((t) => (
          <TabsContent key={t.value} value={t.value}>
            {t.content}
          </TabsContent>
        ))}
      </Tabs>

      <DangerZone>
        <DangerZoneRow
          title={removal.rowTitle}
          description={removal.rowDescription}
          action={
            <Button variant="danger" onClick={() => setConfirming(true)}>
              <Trash2 aria-hidden />
              {removal.actionLabel}
            </Button>
          }
        />
      </DangerZone>

      <ConfirmDialog
        confirmText={name}
        open={confirming}
        onOpenChange={setConfirming}
        title={removal.dialogTitle}
        description={removal.dialogDescription}
        actionLabel={removal.actionLabel}
        pending={removal.pending}
        error={removal.error}
        onConfirm={removal.onConfirm}
      />
    </>
  );
}
