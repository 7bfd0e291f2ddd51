"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Bell, Boxes, Building2, Cable, Check, ChevronsUpDown, Globe, LayoutDashboard, LogOut, Menu, Plug, ScrollText, Server, ShieldAlert, Timer, Users, X } from "lucide-react";
import { Dialog as DialogPrimitive } from "radix-ui";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/components/auth-client";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { Permission } from "@/server/api/permissions";
import type { Viewer } from "@/server/viewer";
import { homePath } from "@/lib/routes";

const sections = [
  {
    heading: null,
    links: [
      { href: "/overview", label: "Overview", icon: LayoutDashboard },
      { href: "/integrations", label: "Integrations", icon: Plug },
    ],
  },
  {
    heading: "Assets",
    links: [
      { href: "/assets/fqdns", label: "FQDNs", icon: Globe },
      { href: "/assets/apis", label: "APIs", icon: Boxes },
      { href: "/assets/hosts", label: "Hosts", icon: Server },
    ],
  },
  { heading: null, links: [{ href: "/issues", label: "Issues", icon: ShieldAlert }] },
  {
    heading: "Settings",
    links: [
      { href: "/settings/connectors", label: "Connectors", icon: Cable },
      { href: "/settings/notifications", label: "Notifications", icon: Bell },
      { href: "/settings/sla", label: "SLA", icon: Timer },
      { href: "/settings/members", label: "Members", icon: Users, needs: "members:manage" },
      { href: "/settings/audit-log", label: "Audit log", icon: ScrollText, needs: "audit:read" },
    ],
  },
] as const satisfies readonly { heading: string | null; links: readonly { href: string; label: string; icon: unknown; needs?: Permission }[] }[];

const roleLabels = { admin: "Admin", analyst: "Analyst", viewer: "Viewer" } as const;

export function AppSidebar({ viewer }: { viewer: Viewer }) {
  const pathname = usePathname();
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const switchCompany = useMutation(
    trpc.me.switchCompany.mutationOptions({
      onSuccess: () => {
        // Everything cached belongs to the company we just left.
        queryClient.clear();
        router.push(homePath);
        router.refresh();
      },
    }),
  );
  const visibleSections = sections
    .map((section) => ({
      ...section,
      links: section.links.filter((link) => !("needs" in link) || viewer.permissions.includes(link.needs)),
    }))
    .filter((section) => section.links.length > 0);

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  const logo = (
    <div className="flex items-center gap-2">
      <div className="flex size-8 items-center justify-center rounded-lg bg-brand-600 text-sm font-bold text-white">P</div>
      <span className="text-base font-semibold tracking-tight">Postura</span>
    </div>
  );

  const nav = (onNavigate?: () => void) => (
    <nav aria-label="Main" className="flex-1 space-y-5 overflow-y-auto px-3">
      {visibleSections.map((section, i) => (
        <div key={i}>
          {section.heading ? (
            <p className="px-2 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{section.heading}</p>
          ) : null}
          <ul className="space-y-0.5">
            {section.links.map(({ href, label, icon: Icon }) => {
              const active = pathname === href || pathname.startsWith(`${href}/`);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    aria-current={active ? "page" : undefined}
                    onClick={onNavigate}
                    className={cn(
                      "flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm font-medium max-lg:py-2.5",
                      active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100",
                    )}
                  >
                    <Icon className="size-4" aria-hidden />
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );

  const account = (
    <div className="border-t border-slate-200 p-3">
      <DropdownMenu>
        <DropdownMenuTrigger
          className="flex w-full items-center gap-2 rounded-md px-2 py-2 text-left hover:bg-slate-100"
        >
          <span aria-hidden className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700">
            {viewer.user.name
              .split(" ")
              .map((p) => p[0])
              .join("")
              .slice(0, 2)}
          </span>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium" data-testid="viewer-name">
              {viewer.user.name}
            </span>
            <span className="block truncate text-xs text-slate-500">
              {viewer.company.name} · {roleLabels[viewer.role]}
            </span>
          </span>
          <span className="sr-only">Account menu</span>
          <ChevronsUpDown className="size-4 text-slate-400" aria-hidden />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" side="top" className="w-56">
          <DropdownMenuLabel>
            <span className="block truncate text-slate-700">{viewer.user.email}</span>
            <Badge tone="brand" className="mt-1" data-testid="viewer-role">
              {roleLabels[viewer.role]}
            </Badge>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          {viewer.companies.length > 1 ? (
            <>
              <DropdownMenuLabel className="text-xs font-semibold text-slate-500 uppercase">Companies</DropdownMenuLabel>
              {viewer.companies.map((company) => (
                <DropdownMenuItem
                  key={company.id}
                  disabled={switchCompany.isPending}
                  aria-current={company.id === viewer.company.id ? "true" : undefined}
                  onSelect={() => {
                    if (company.id !== viewer.company.id) switchCompany.mutate({ companyId: company.id });
                  }}
                >
                  {company.id === viewer.company.id ? <Check className="size-4" aria-hidden /> : <Building2 className="size-4" aria-hidden />}
                  <span className="truncate">
                    <span className="sr-only">{company.id === viewer.company.id ? "Current company: " : "Switch to "}</span>
                    {company.name}
                  </span>
                </DropdownMenuItem>
              ))}
              <DropdownMenuSeparator />
            </>
          ) : null}
          <DropdownMenuItem onSelect={() => void signOut()}>
            <LogOut className="size-4" aria-hidden />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );

  return (
    <>
      {/* Below lg: a top bar whose menu opens the same navigation in a drawer (a Radix dialog: focus trapped
          inside, Escape closes, focus goes back to the menu button). */}
      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-slate-200 bg-white px-4 lg:hidden">
        <MobileDrawer logo={logo}>
          {(close) => (
            <>
              {nav(close)}
              {account}
            </>
          )}
        </MobileDrawer>
        {logo}
      </header>
      {/* lg and up: the aside runs the page's full height (its border and background); what is in it stays in view
          as the page scrolls. */}
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white lg:block">
        <div className="sticky top-0 flex h-screen flex-col">
          <div className="px-5 py-5">{logo}</div>
          {nav()}
          {account}
        </div>
      </aside>
    </>
  );
}

function MobileDrawer({ logo, children }: { logo: React.ReactNode; children: (close: () => void) => React.ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <DialogPrimitive.Trigger className="-ml-1 rounded-md p-2 text-slate-700 hover:bg-slate-100" aria-label="Open menu">
        <Menu className="size-5" aria-hidden />
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-slate-900/40 lg:hidden" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col bg-white shadow-xl focus:outline-none lg:hidden"
        >
          <DialogPrimitive.Title className="sr-only">Menu</DialogPrimitive.Title>
          <div className="flex items-center justify-between px-5 py-4">
            {logo}
            <DialogPrimitive.Close className="rounded-md p-2 text-slate-500 hover:bg-slate-100" aria-label="Close menu">
              <X className="size-5" aria-hidden />
            </DialogPrimitive.Close>
          </div>
          {children(() => setOpen(false))}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
