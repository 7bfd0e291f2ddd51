import { redirect } from "next/navigation";
import { getViewer, signedOutDestination } from "@/server/viewer";
import { homePath } from "@/lib/routes";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await getViewer()) ? homePath : await signedOutDestination());
}
