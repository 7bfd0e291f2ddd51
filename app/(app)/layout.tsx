import { redirect } from "next/navigation";
import { AppSidebar } from "@/components/app-sidebar";
import { getViewer, signedOutDestination } from "@/server/viewer";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) redirect(await signedOutDestination());
  return (
    // Below lg the sidebar is a top bar above the page (see AppSidebar); from lg on, a column beside it.
    <div className="min-h-screen lg:flex">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:m-2 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <AppSidebar viewer={viewer} />
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
        <div className="mx-auto max-w-7xl">{children}</div>
      </main>
    </div>
  );
}
