"use client";
// The issue page's status control: nothing changes until Apply in the dialog (no select that a stray ArrowDown
// can move), and for STATUS_UNDO_SECONDS afterwards an Undo takes the change back before the source is told.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { UndoToast } from "@/components/ui/undo-toast";
import { type IssueStatus, issueStatusLabels } from "@/db/schema/vocabulary";
import { StatusBadge } from "./badges";
import { emptyDraft, parseDraft, StatusChangeFields } from "./status-change-fields";

type Undoable = { statusHistoryId: string; status: IssueStatus; seconds: number };

export function IssueStatusAction({ issueId, status }: { issueId: string; status: IssueStatus }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(emptyDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [undoable, setUndoable] = useState<Undoable | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The status, the history, and (open ↔ closed) the asset figures and lists all moved.
  const refresh = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: trpc.issues.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.assets.pathKey() })]);

  const apply = useMutation(
    trpc.issues.setStatus.mutationOptions({
      onSuccess: async (result, variables) => {
        setOpen(false);
        setNotice(null);
        if (result.statusHistoryId && result.undoSeconds > 0) {
          setUndoable({ statusHistoryId: result.statusHistoryId, status: variables.status, seconds: result.undoSeconds });
        } else {
          setNotice(result.changed ? `Status changed to ${issueStatusLabels[variables.status]}.` : "The status was already that.");
        }
        await refresh();
      },
    }),
  );
  const undo = useMutation(
    trpc.issues.undoStatus.mutationOptions({
      onSuccess: async (result) => {
        setUndoable(null);
        setNotice(`Undone: the status is ${issueStatusLabels[result.status]} again and the source was not told.`);
        await refresh();
      },
      onError: (error) => {
        setUndoable(null);
        setNotice(error.message);
      },
    }),
  );
  const dismiss = useCallback(() => setUndoable(null), []);

  return (
    <div>
      <p className="mb-1 text-sm font-medium text-slate-800">Status</p>
      <div className="flex flex-wrap items-center gap-3">
        <StatusBadge status={status} />
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            setDraft(emptyDraft());
            setErrors({});
            apply.reset();
            setOpen(true);
          }}
        >
          Change status
        </Button>
        <span role="status" className="text-sm text-slate-600">
          {notice}
        </span>
      </div>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <form
            className="flex min-h-0 flex-col"
            onSubmit={(event) => {
              event.preventDefault();
              const parsed = parseDraft(draft);
              if (!parsed.ok) {
                setErrors(parsed.errors);
                return;
              }
              setErrors({});
              apply.mutate({ id: issueId, ...parsed.value });
            }}
          >
            <DialogHeader>
              <DialogTitle>Change status</DialogTitle>
              <DialogDescription>
                Now {issueStatusLabels[status]}. The change is sent to the source after a short delay, during which you can undo it.
              </DialogDescription>
            </DialogHeader>
            <div className="overflow-y-auto px-5 py-4">
              <StatusChangeFields draft={draft} onChange={setDraft} errors={errors} current={status} />
              {apply.isError ? (
                <p role="alert" className="mt-3 text-sm text-red-700">
                  {apply.error.message}
                </p>
              ) : null}
            </div>
            <DialogFooter>
              <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={apply.isPending}>
                {apply.isPending ? "Applying…" : "Apply"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      {undoable ? (
        <UndoToast
          message={`Status changed to ${issueStatusLabels[undoable.status]}.`}
          seconds={undoable.seconds}
          undoing={undo.isPending}
          onUndo={() => undo.mutate({ id: issueId, statusHistoryId: undoable.statusHistoryId })}
          onDone={dismiss}
        />
      ) : null}
    </div>
  );
}
