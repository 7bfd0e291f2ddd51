"use client";
// "Views" on the Issues list: a member's saved filter sets — apply one, save the current filters under a name,
// rename or delete them, and copy the current list's link (the filters are the URL, so a link shares the view).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bookmark, Check, ChevronDown } from "lucide-react";
import { useRouter, useSearchParams } from "next/navigation";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { canonicalIssueFilter } from "@/app/(app)/issues/search-params";

export function SavedViewsMenu() {
  const trpc = useTRPC();
  const router = useRouter();
  const searchParams = useSearchParams();
  const views = useQuery(trpc.savedViews.list.queryOptions());
  const [dialog, setDialog] = useState<"save" | "manage" | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const current = canonicalIssueFilter(searchParams.toString());
  const active = views.data?.find((v) => v.query === current);

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="secondary" size="sm" className="h-9">
            <Bookmark aria-hidden />
            {active ? <span className="max-w-40 truncate">View: {active.name}</span> : "Views"}
            <ChevronDown aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuLabel>Your saved views</DropdownMenuLabel>
          {views.data?.length === 0 ? <p className="px-2 py-1.5 text-sm text-slate-600">None yet: filter the list, then save it.</p> : null}
          {views.data?.map((view) => (
            <DropdownMenuItem key={view.id} onSelect={() => router.push(`/issues?${view.query}`)}>
              <Check aria-hidden className={view.id === active?.id ? "size-4 text-brand-600" : "invisible size-4"} />
              <bdi className="truncate">{view.name}</bdi>
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setDialog("save")}>Save current filters…</DropdownMenuItem>
          <DropdownMenuItem
            onSelect={async () => {
              await navigator.clipboard.writeText(window.location.href);
              setAnnouncement("Link to this list copied.");
            }}
          >
            Copy link
          </DropdownMenuItem>
          {views.data?.length ? <DropdownMenuItem onSelect={() => setDialog("manage")}>Rename or delete views…</DropdownMenuItem> : null}
        </DropdownMenuContent>
      </DropdownMenu>
      <span role="status" className="sr-only">
        {announcement}
      </span>
      <Dialog open={dialog === "save"} onOpenChange={(open) => setDialog(open ? "save" : null)}>
        {dialog === "save" ? <SaveViewForm query={current} onDone={(name) => (setDialog(null), setAnnouncement(`View “${name}” saved.`))} /> : null}
      </Dialog>
      <Dialog open={dialog === "manage"} onOpenChange={(open) => setDialog(open ? "manage" : null)}>
        {dialog === "manage" ? <ManageViews /> : null}
      </Dialog>
    </>
  );
}

function useInvalidateViews() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.savedViews.list.queryKey() });
}

function SaveViewForm({ query, onDone }: { query: string; onDone: (name: string) => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateViews();
  const [name, setName] = useState("");
  const save = useMutation(trpc.savedViews.create.mutationOptions({ onSuccess: async (view) => (await invalidate(), onDone(view.name)) }));
  return (
    <DialogContent aria-describedby="save-view-description">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ name, query });
        }}
      >
        <DialogHeader>
          <DialogTitle>Save current filters</DialogTitle>
          <DialogDescription id="save-view-description">The view keeps the list&apos;s filters; only you see it in your Views menu.</DialogDescription>
        </DialogHeader>
        <div className="px-5 py-4">
          <Field id="view-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required autoFocus error={save.error?.message} />
        </div>
        <DialogFooter>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save view"}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}

function ManageViews() {
  const trpc = useTRPC();
  const views = useQuery(trpc.savedViews.list.queryOptions());
  return (
    <DialogContent aria-describedby="manage-views-description">
      <DialogHeader>
        <DialogTitle>Your saved views</DialogTitle>
        <DialogDescription id="manage-views-description">Rename a view or delete it. Applying a view is in the Views menu.</DialogDescription>
      </DialogHeader>
      <ul className="space-y-3 overflow-y-auto px-5 py-4">
        {views.data?.length === 0 ? <li className="text-sm text-slate-600">No saved views left.</li> : null}
        {views.data?.map((view) => (
          <ViewRow key={view.id} view={view} />
        ))}
      </ul>
    </DialogContent>
  );
}

function ViewRow({ view }: { view: { id: string; name: string } }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateViews();
  const id = useId();
  const [name, setName] = useState(view.name);
  const rename = useMutation(trpc.savedViews.update.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.savedViews.remove.mutationOptions({ onSuccess: invalidate }));
  const error = rename.error?.message ?? remove.error?.message;
  return (
    <li>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate({ id: view.id, name });
        }}
      >
        <Input aria-label={`Name of view ${view.name}`} className="min-w-0 flex-1" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} aria-describedby={error ? `${id}-error` : undefined} />
        <Button type="submit" variant="secondary" size="sm" disabled={name.trim() === view.name || rename.isPending}>
          Rename
        </Button>
        <Button type="button" variant="ghost" size="sm" className="text-red-700" onClick={() => remove.mutate({ id: view.id })} disabled={remove.isPending} aria-label={`Delete view ${view.name}`}>
          Delete
        </Button>
      </form>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </li>
  );
}
