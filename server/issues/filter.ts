// The Issues lists' filter as the client sends it (zod), and its resolution for the caller: "me" is the caller,
// "none" means nobody owns the issue. The list, its count, bulk "all matching", saved views and the CSV export
// all go through here and then through the one `where` builder (db/queries/issues.ts).
import { z } from "zod";
import type { IssueFilter } from "@/db/queries/issues";
import { forwardFilterStates, integrationKinds, issueStates, issueStatuses, severities, writeBackStates } from "@/db/schema";
import { slaStates } from "@/lib/sla";
import { userText } from "@/lib/validation/text";

/** The owner filter's values besides member ids. */
export const ME = "me";
export const UNASSIGNED = "none";

const MAX_CHOICES = 50;

export const issueFilterInput = z.object({
  q: userText({ max: 200 }).optional(),
  state: z.enum(issueStates).optional(),
  severities: z.array(z.enum(severities)).max(severities.length).optional(),
  statuses: z.array(z.enum(issueStatuses)).max(issueStatuses.length).optional(),
  categories: z.array(userText({ max: 200 })).max(MAX_CHOICES).optional(),
  sources: z.array(z.enum([...integrationKinds, "manual"])).max(integrationKinds.length + 1).optional(),
  assetId: z.uuid().optional(),
  fqdnIds: z.array(z.uuid()).max(MAX_CHOICES).optional(),
  writeBack: z.array(z.enum(writeBackStates)).max(writeBackStates.length).optional(),
  forwarding: z.array(z.enum(forwardFilterStates)).max(forwardFilterStates.length).optional(),
  /** Member ids, "me" (the caller) and "none" (nobody). */
  owners: z.array(z.string().min(1).max(100)).max(MAX_CHOICES).optional(),
  /** Open issues past their SLA or due soon. */
  sla: z.enum(slaStates).optional(),
});
export type IssueFilterInput = z.infer<typeof issueFilterInput>;

export function resolveIssueFilter(input: IssueFilterInput, caller: { companyId: string; userId: string }): IssueFilter {
  const { owners, ...rest } = input;
  const ownerUserIds = (owners ?? []).filter((o) => o !== UNASSIGNED).map((o) => (o === ME ? caller.userId : o));
  return {
    ...rest,
    companyId: caller.companyId,
    ownerUserIds: ownerUserIds.length ? [...new Set(ownerUserIds)] : undefined,
    unassigned: owners?.includes(UNASSIGNED) || undefined,
  };
}
