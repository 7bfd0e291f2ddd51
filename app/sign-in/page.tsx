import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { isDemo } from "@/server/env";
import { DEMO_PASSWORD, DEMO_USERS } from "@/server/demo";
import { getViewer, signedOutDestination } from "@/server/viewer";
import { SignInForm } from "./client";
import { homePath } from "@/lib/routes";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await getViewer()) redirect(homePath);
  if ((await signedOutDestination()) === "/setup") redirect("/setup");
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto mb-3 flex size-11 items-center justify-center rounded-xl bg-brand-600 text-lg font-bold text-white">P</div>
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Postura</h1>
          <p className="mt-1 text-sm text-slate-600">Every API you expose, and every weakness in it.</p>
        </div>
        <SignInForm />
        {isDemo ? (
          <section aria-labelledby="demo-accounts" className="mt-6 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
            <h2 id="demo-accounts" className="font-medium text-amber-900">
              Demo accounts (password <code className="font-mono">{DEMO_PASSWORD}</code>)
            </h2>
            <ul className="mt-2 space-y-1 text-amber-900">
              {DEMO_USERS.map((u) => (
                <li key={u.email}>
                  <span className="font-mono">{u.email}</span> <span className="text-amber-700">· {u.role}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </main>
  );
}
