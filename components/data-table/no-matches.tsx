// What a filtered list shows when nothing matches, and the "Clear filters" control beside its filters.
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export function NoMatches({ noun, hint, onClear }: { noun: string; hint: string; onClear: () => void }) {
  return (
    <EmptyState
      className="border-0"
      icon={SearchX}
      title={`No ${noun} match these filters`}
      description={hint}
      action={
        <Button variant="secondary" onClick={onClear}>
          Clear filters
        </Button>
      }
    />
  );
}

export function ClearFiltersButton({ visible, onClear }: { visible: boolean; onClear: () => void }) {
  if (!visible) return null;
  return (
    <Button variant="ghost" size="sm" className="h-9" onClick={onClear}>
      Clear filters
    </Button>
  );
}
