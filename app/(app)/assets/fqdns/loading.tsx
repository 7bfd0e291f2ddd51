import { TableSkeleton } from "@/components/data-table/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <PageHeader title="FQDNs" description="Every domain your integrations discovered, with its risk." />
      <div className="mb-6 grid grid-cols-2 gap-4">
        <Skeleton className="h-56" />
        <Skeleton className="h-56" />
      </div>
      <Skeleton className="mb-4 h-9 w-full max-w-2xl" />
      <TableSkeleton columns={7} />
    </>
  );
}
