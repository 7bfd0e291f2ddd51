import { redirect } from "next/navigation";
import { getViewer, signedOutDestination } from "@/server/viewer";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await getViewer()) ? "/assets/fqdns" : await signedOutDestination());
}
