"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useQueryStates } from "nuqs";
import { ClearFiltersButton, NoMatches } from "@/components/data-table/no-matches";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput } from "@/components/data-table/search-input";
import { useTRPC } from "@/components/trpc/client";
import { Card } from "@/components/ui/card";
import { Select } from "@/components/ui/input";
import { type AuditAction, auditActionNames, auditActions } from "@/lib/audit-actions";
import { Time } from "@/components/ui/time";
import type { RouterOutputs } from "@/lib/trpc-types";
import { auditListQuery, auditSearchParams } from "./search-params";

type AuditRow = RouterOutputs["audit"]["list"]["rows"][number];

/** "firstAdmin" → "first admin". */
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/** One line per detail: "role: analyst"; from/to pairs as "status: Identified → In Progress". Values are data, never markup. */
function detailLines(details: Record<string, unknown>): string[] {
  return Object.entries(details).map(([key, value]) => {
    if (value && typeof value === "object" && !Array.isArray(value) && "from" in value && "to" in value) {
      const { from, to } = value as { from: unknown; to: unknown };
      return `${words(key)}: ${show(from)} → ${show(to)}`;
    }
    return `${words(key)}: ${show(value)}`;
  });
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(show).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function Actor({ row }: { row: AuditRow }) {
  if (!row.actorName && !row.actorEmail) return <span className="text-slate-500">Unknown (not signed in)</span>;
  return (
    <>
      <bdi className="font-medium text-slate-900">{row.actorName ?? "—"}</bdi>
      {row.actorEmail ? <span className="block text-slate-600">{row.actorEmail}</span> : null}
    </>
  );
}

export function AuditLogClient() {
  const trpc = useTRPC();
  const [params, setParams] = useQueryStates(auditSearchParams, { history: "push" });
  const input = auditListQuery(params);
  const list = useQuery({ ...trpc.audit.list.queryOptions(input), placeholderData: keepPreviousData });
  const filtered = Boolean(input.action || input.q);
  const clear = () => setParams({ action: null, q: null, page: null });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <SearchInput value={params.q} onChange={(q) => setParams({ q: q || null, page: null })} label="Search the audit log" placeholder="Person, email, target or address" />
        <Select
          aria-label="Action"
          className="w-64"
          value={params.action ?? ""}
          onChange={(e) => setParams({ action: (e.target.value || null) as AuditAction | null, page: null })}
        >
          <option value="">All actions</option>
          {auditActionNames.map((name) => (
            <option key={name} value={name}>
              {auditActions[name]}
            </option>
          ))}
        </Select>
        <ClearFiltersButton visible={filtered} onClear={clear} />
      </div>
      {list.data && list.data.total === 0 ? (
        filtered ? (
          <NoMatches noun="entries" hint="No audit entries match these filters." onClear={clear} />
        ) : (
          <p className="text-sm text-slate-600">Nothing recorded yet.</p>
        )
      ) : (
        // Wider than a phone: the table scrolls sideways, and the keyboard can scroll it too (it holds nothing focusable).
        <Card className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-brand-600" tabIndex={0} role="region" aria-label="Audit log entries, scrollable">
          <table className="w-full text-sm" aria-label="Audit log">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">When</th>
                <th scope="col" className="px-4 py-2">Who</th>
                <th scope="col" className="px-4 py-2">What</th>
                <th scope="col" className="px-4 py-2">Changed</th>
                <th scope="col" className="px-4 py-2">From</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {(list.data?.rows ?? []).map((row) => (
                <tr key={row.id} data-testid="audit-row">
                  <td className="px-4 py-3 whitespace-nowrap text-slate-600"><Time date={row.createdAt} format="dateTime" /></td>
                  <td className="max-w-56 px-4 py-3 break-words">
                    <Actor row={row} />
                  </td>
                  <td className="max-w-72 px-4 py-3 break-words">
                    <span className="font-medium text-slate-900">{auditActions[row.action as AuditAction] ?? row.action}</span>
                    {row.targetLabel ? (
                      <bdi dir="auto" className="block text-slate-600">
                        {row.targetLabel}
                      </bdi>
                    ) : null}
                  </td>
                  <td className="max-w-md px-4 py-3 break-words text-slate-700">
                    <ul>
                      {detailLines(row.details).map((line) => (
                        <li key={line}>
                          <bdi dir="auto">{line}</bdi>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap font-mono text-xs text-slate-600">{row.ipAddress ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {list.data && list.data.total > 0 ? (
        <Pagination
          page={list.data.page}
          pageSize={list.data.pageSize}
          total={list.data.total}
          totalCapped={list.data.totalCapped}
          noun="entries"
          onPageChange={(page) => setParams({ page })}
        />
      ) : null}
    </div>
  );
}
