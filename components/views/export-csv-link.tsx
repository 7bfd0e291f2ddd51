"use client";
// "Export CSV": the list's export route with the list's filters as they are in the URL now (the whole filtered
// set, not the page shown). A plain download link: it works before hydration and from the keyboard.
import { Download } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";

export function ExportCsvLink({ href, label = "Export CSV" }: { href: string; label?: string }) {
  const params = new URLSearchParams(useSearchParams());
  params.delete("page");
  const query = params.toString();
  return (
    <Button asChild variant="secondary" size="sm">
      <a href={query ? `${href}?${query}` : href} download>
        <Download aria-hidden />
        {label}
      </a>
    </Button>
  );
}
