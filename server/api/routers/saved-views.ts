// Saved views of the Issues list: a member's named filter sets (their own, in the current company).
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { canonicalIssueFilter, issueFilterQuery, loadIssueSearchParams } from "@/app/(app)/issues/search-params";
import { countSavedViews, createSavedView, deleteSavedView, findSavedViewByName, listSavedViews, updateSavedView } from "@/db/queries/saved-views";
import { userText } from "@/lib/validation/text";
import { companyProcedure, createTRPCRouter } from "@/server/api/trpc";
import { issueFilterInput } from "@/server/issues/filter";

/** The most views one member keeps in one company. */
export const MAX_SAVED_VIEWS = 50;

const viewName = userText({ max: 80 }).pipe(z.string().min(1, "Give the view a name."));

/** The list's query string, canonical, and refused when its filter would not be accepted by the list itself. */
const viewQuery = z
  .string()
  .max(4000, "This filter is too long to save.")
  .transform((query, ctx) => {
    const canonical = canonicalIssueFilter(query);
    if (!issueFilterInput.safeParse(issueFilterQuery(loadIssueSearchParams(new URLSearchParams(canonical)))).success) {
      ctx.addIssue({ code: "custom", message: "This filter cannot be saved: clear the search box of unusual characters and try again." });
      return z.NEVER;
    }
    return canonical;
  });

const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "This view no longer exists. Reload the page to see your views." });
const taken = (name: string) => new TRPCError({ code: "CONFLICT", message: `You already have a view named “${name}”. Choose another name.` });

export const savedViewsRouter = createTRPCRouter({
  list: companyProcedure.query(({ ctx }) => listSavedViews(ctx.db, { companyId: ctx.company.id, userId: ctx.user.id })),

  create: companyProcedure.input(z.object({ name: viewName, query: viewQuery })).mutation(async ({ ctx, input }) => {
    const owner = { companyId: ctx.company.id, userId: ctx.user.id };
    if ((await countSavedViews(ctx.db, owner)) >= MAX_SAVED_VIEWS) {
      throw new TRPCError({ code: "BAD_REQUEST", message: `You have ${MAX_SAVED_VIEWS} saved views, the most there can be. Delete one first.` });
    }
    const view = await createSavedView(ctx.db, { ...owner, ...input });
    if (!view) throw taken(input.name);
    return view;
  }),

  /** A new name, or the current filters (Update) — or both. */
  update: companyProcedure
    .input(z.object({ id: z.uuid(), name: viewName.optional(), query: viewQuery.optional() }))
    .mutation(async ({ ctx, input }) => {
      const owner = { companyId: ctx.company.id, userId: ctx.user.id };
      if (input.name !== undefined) {
        const same = await findSavedViewByName(ctx.db, { ...owner, name: input.name });
        if (same && same.id !== input.id) throw taken(input.name);
      }
      const view = await updateSavedView(ctx.db, { ...owner, ...input });
      if (!view) throw notFound();
      return view;
    }),

  remove: companyProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const removed = await deleteSavedView(ctx.db, { companyId: ctx.company.id, userId: ctx.user.id, id: input.id });
    if (!removed) throw notFound();
    return removed;
  }),
});
