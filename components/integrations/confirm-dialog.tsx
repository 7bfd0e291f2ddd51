"use client";
// A destructive action's confirmation (Remove integration, Disconnect): what happens, the error if it failed,
// Cancel and the action. With `confirmText`, the action stays off until that text is typed (GitHub's pattern for
// what cannot be undone in one click).
import { Loader2 } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input, Label } from "@/components/ui/input";
import { Notice } from "./notice";

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  actionLabel,
  pending,
  error,
  onConfirm,
  confirmText,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: React.ReactNode;
  actionLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  confirmText?: string;
}) {
  const inputId = useId();
  const [typed, setTyped] = useState("");
  const confirmed = confirmText === undefined || typed.trim() === confirmText;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setTyped("");
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {confirmText !== undefined ? (
          <form
            className="space-y-1.5 px-5 pt-4"
            onSubmit={(e) => {
              e.preventDefault();
              if (confirmed && !pending) onConfirm();
            }}
          >
            <Label htmlFor={inputId}>
              Type <span className="font-semibold">{confirmText}</span> to confirm
            </Label>
            <Input id={inputId} value={typed} autoComplete="off" spellCheck={false} onChange={(e) => setTyped(e.target.value)} />
          </form>
        ) : null}
        {error ? (
          <div className="px-5 pt-4">
            <Notice tone="danger">{error}</Notice>
          </div>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="danger" disabled={pending || !confirmed} onClick={onConfirm}>
            {pending ? <Loader2 aria-hidden className="animate-spin" /> : null}
            {actionLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** The bottom of a settings page: what cannot be taken back, apart from everything else, one row per action. */
export function DangerZone({ children }: { children: React.ReactNode }) {
  return (
    <section aria-labelledby="danger-zone-title" className="mt-8 rounded-lg border border-red-200 bg-white">
      <h2 id="danger-zone-title" className="border-b border-red-100 px-5 py-3 text-sm font-semibold text-red-800">
        Danger zone
      </h2>
      <div className="divide-y divide-red-100">{children}</div>
    </section>
  );
}

export function DangerZoneRow({ title, description, action }: { title: string; description: React.ReactNode; action: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
      <div className="min-w-0 max-w-2xl">
        <p className="text-sm font-medium text-slate-900">{title}</p>
        <p className="mt-0.5 text-sm text-slate-600">{description}</p>
      </div>
      {action}
    </div>
  );
}
