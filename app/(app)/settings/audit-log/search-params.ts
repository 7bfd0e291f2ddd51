// The Audit log's state in the URL (?action=member.role_changed&q=ada&page=2), shared by the server page and the client.
import { createLoader, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { auditActionNames } from "@/lib/audit-actions";
import type { RouterInputs } from "@/lib/trpc-types";

export const auditSearchParams = {
  action: parseAsStringLiteral(auditActionNames),
  q: parseAsString.withDefault(""),
  page: parseAsInteger.withDefault(1),
};
export const loadAuditSearchParams = createLoader(auditSearchParams);
type AuditParams = Awaited<ReturnType<typeof loadAuditSearchParams>>;

export function auditListQuery(p: AuditParams): RouterInputs["audit"]["list"] {
  return { action: p.action ?? undefined, q: p.q || undefined, page: Math.max(1, p.page) };
}
