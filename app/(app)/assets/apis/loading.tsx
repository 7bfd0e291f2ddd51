import { TableSkeleton } from "@/components/data-table/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <PageHeader title="APIs" description="Every API endpoint under the domains you track, riskiest first." />
      <Skeleton className="mb-4 h-9 w-full max-w-3xl" />
      <TableSkeleton columns={5} />
    </>
  );
}
