"use client";
// An issue's comment thread: who, when, and the text as Markdown rendered safely (./markdown.tsx).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Time } from "@/components/ui/time";
import { Markdown } from "./markdown";

export function IssueComments({ issueId, canComment }: { issueId: string; canComment: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [body, setBody] = useState("");
  const comments = useQuery(trpc.issues.comments.queryOptions({ id: issueId }));
  const add = useMutation(
    trpc.issues.addComment.mutationOptions({
      onSuccess: async () => {
        setBody("");
        await queryClient.invalidateQueries({ queryKey: trpc.issues.comments.queryKey({ id: issueId }) });
      },
    }),
  );
  return (
    <Card className="mt-4">
      <CardHeader>
        <CardTitle>Comments</CardTitle>
      </CardHeader>
      <CardContent>
        {comments.data ? (
          comments.data.length === 0 ? (
            <p className="text-sm text-slate-600">No comments yet.</p>
          ) : (
            <ol className="divide-y divide-slate-100" aria-label="Comments">
              {comments.data.map((comment) => (
                <li key={comment.id} className="py-3">
                  <p className="mb-1 flex flex-wrap items-baseline gap-x-2 text-xs text-slate-600">
                    <span className="font-medium text-slate-900">{comment.userName ? `${comment.userName} (${comment.userEmail})` : "A former member"}</span>
                    <Time date={comment.createdAt} format="dateTime" />
                  </p>
                  <Markdown>{comment.body}</Markdown>
                </li>
              ))}
            </ol>
          )
        ) : comments.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {comments.error.message}
          </p>
        ) : (
          <Skeleton className="h-16" />
        )}
        {canComment ? (
          <form
            className="mt-4 space-y-2"
            onSubmit={(event) => {
              event.preventDefault();
              if (body.trim()) add.mutate({ id: issueId, body });
            }}
          >
            <label htmlFor={id} className="block text-sm font-medium text-slate-800">
              Add a comment
            </label>
            <textarea
              id={id}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              rows={3}
              maxLength={10_000}
              aria-describedby={`${id}-hint`}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/30"
            />
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" size="sm" disabled={!body.trim() || add.isPending}>
                {add.isPending ? "Posting…" : "Comment"}
              </Button>
              <span id={`${id}-hint`} className="text-xs text-slate-500">
                Markdown: **bold**, _italic_, `code`, lists, links.
              </span>
              {add.isError ? (
                <span role="alert" className="text-sm text-red-700">
                  {add.error.message}
                </span>
              ) : null}
            </div>
          </form>
        ) : null}
      </CardContent>
    </Card>
  );
}
