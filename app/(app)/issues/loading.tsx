import { TableSkeleton } from "@/components/data-table/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <>
      <PageHeader title="Issues" description="Every weakness found in your APIs, and where its fix stands." />
      <Skeleton className="mb-4 h-9 w-full max-w-4xl" />
      <TableSkeleton columns={7} />
    </>
  );
}
