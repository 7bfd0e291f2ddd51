import { TableSkeleton } from "@/components/data-table/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <PageHeader title="Hosts" description="Machines your vulnerability scanner reports, with their risk. A host with the fqdn of an FQDN asset is that asset." />
      <Skeleton className="mb-4 h-9 w-full max-w-md" />
      <TableSkeleton columns={6} />
    </>
  );
}
