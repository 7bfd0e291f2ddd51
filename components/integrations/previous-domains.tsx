"use client";
// The offer, on a reconnected Salt integration's Configuration step, to re-attach the domains an earlier (removed)
// connection synced: the same assets come back with their issues, history, owners and comments.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { History, Loader2 } from "lucide-react";
import { useRef, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Time } from "@/components/ui/time";
import { formatCount, formatNumber } from "@/lib/format";
import { DomainChoiceTable } from "./domain-choice-table";
import { Notice } from "./notice";

export function PreviousDomains({ integrationId }: { integrationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const previous = useQuery(trpc.integrations.previousDomains.queryOptions({ id: integrationId }));
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reattached, setReattached] = useState<number | null>(null);
  const doneNotice = useRef<HTMLDivElement>(null);
  const justDone = useRef(false);

  const reattach = useMutation(trpc.integrations.reattachDomains.mutationOptions());
  const submit = () =>
    reattach.mutate(
      { id: integrationId, assetIds: [...selected] },
      {
        onSuccess: async (result) => {
          // After the dialog closes, focus goes to the notice that says what happened.
          justDone.current = true;
          setReattached(result.reattached.length);
          setOpen(false);
          await queryClient.invalidateQueries({ queryKey: trpc.integrations.pathKey() });
          await queryClient.invalidateQueries({ queryKey: trpc.sync.pathKey() });
        },
      },
    );

  const domains = previous.data ?? [];
  const found = domains.filter((d) => d.found);
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <>
      {reattached !== null ? (
        <div ref={doneNotice} tabIndex={-1} className="rounded-md focus:outline-2 focus:outline-offset-2 focus:outline-brand-600">
          <Notice tone="success">
            {formatCount(reattached, "domain")} re-attached with their issues and history. Their sync has started; progress shows in the table.
          </Notice>
        </div>
      ) : null}
      {domains.length > 0 ? (
        <Notice tone="info" title={`${formatCount(domains.length, "domain")} from the earlier Salt connection`} live="none">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p>
              Re-attach them to keep their issues, status history, owners and comments; they sync again from this account.
              {found.length < domains.length ? ` ${formatNumber(domains.length - found.length)} not found in this Salt account.` : null}
            </p>
            <Button
              type="button"
              variant="secondary"
              size="sm"
              onClick={() => {
                setSelected(new Set(found.map((d) => d.id)));
                reattach.reset();
                setOpen(true);
              }}
            >
              <History aria-hidden />
              Re-attach…
            </Button>
          </div>
        </Notice>
      ) : null}
      {previous.error ? <Notice tone="warning">Could not check the earlier connection&apos;s domains: {previous.error.message}</Notice> : null}

      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          className="w-[min(94vw,40rem)]"
          onCloseAutoFocus={(event) => {
            if (!justDone.current) return;
            justDone.current = false;
            event.preventDefault();
            doneNotice.current?.focus();
          }}
        >
          <DialogHeader>
            <DialogTitle>Re-attach earlier domains</DialogTitle>
            <DialogDescription>
              The same FQDN assets come back under this connection, with their APIs, issues and history, and sync again.
            </DialogDescription>
          </DialogHeader>
          <div className="min-h-0 flex-1 overflow-y-auto">
            <DomainChoiceTable
              caption="Domains of the earlier Salt connection"
              idPrefix="previous"
              selectAll={{
                label: "Select every domain found in this Salt account",
                checked: found.length > 0 && found.every((d) => selected.has(d.id)),
                disabled: found.length === 0,
                onChange: () => setSelected(found.every((d) => selected.has(d.id)) ? new Set() : new Set(found.map((d) => d.id))),
              }}
              figures={["Open issues"]}
              rows={domains.map((d) => ({
                key: d.id,
                host: d.host,
                checked: selected.has(d.id),
                disabled: !d.found,
                after: (
                  <>
                    {d.found ? null : <Badge tone="neutral">Not found in this Salt account</Badge>}
                    {d.lastSyncedAt ? (
                      <span className="text-xs text-slate-600">
                        last synced <Time date={d.lastSyncedAt} />
                      </span>
                    ) : null}
                  </>
                ),
                figures: [formatNumber(d.openIssueCount)],
              }))}
              onToggle={toggle}
            />
          </div>
          {reattach.error ? (
            <div className="px-5 pb-3">
              <Notice tone="danger">{reattach.error.message}</Notice>
            </div>
          ) : null}
          <DialogFooter className="items-center justify-between">
            <span className="text-sm text-slate-600" aria-live="polite">
              {selected.size === 0 ? "No domains selected" : `${formatNumber(selected.size)} selected`}
            </span>
            <div className="flex gap-2">
              <DialogClose asChild>
                <Button variant="secondary">Cancel</Button>
              </DialogClose>
              <Button
                disabled={selected.size === 0 || reattach.isPending}
                onClick={submit}
              >
                {reattach.isPending ? <Loader2 aria-hidden className="animate-spin" /> : null}
                Re-attach {formatCount(selected.size, "domain")}
              </Button>
            </div>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
