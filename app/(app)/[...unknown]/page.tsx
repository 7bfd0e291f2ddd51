// Any address no route matches, for a signed-in person: the app's not-found page inside the app shell (the
// layout sends everyone else to sign-in), rather than Next.js's bare 404.
import type { Metadata } from "next";
import { notFound } from "next/navigation";

export const metadata: Metadata = { title: "Page not found" };

export default function Unknown() {
  notFound();
}
