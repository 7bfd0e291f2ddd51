import { TableSkeleton } from "@/components/data-table/data-table";
import { AssetHeaderSkeleton } from "@/components/views/asset-header";

export default function Loading() {
  return (
    <>
      <AssetHeaderSkeleton />
      <TableSkeleton columns={4} />
    </>
  );
}
