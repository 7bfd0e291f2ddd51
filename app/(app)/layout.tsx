import { redirect } from "next/navigation";
import { AppSidebar } from "@/components/app-sidebar";
import { getViewer, signedOutDestination } from "@/server/viewer";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) redirect(await signedOutDestination());
  return (
    <div className="flex min-h-screen">
      <AppSidebar viewer={viewer} />
      <main id="main" className="min-w-0 flex-1 px-8 py-8">
        <div className="mx-auto max-w-7xl">{children}</div>
      </main>
    </div>
  );
}
