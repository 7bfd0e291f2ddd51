// Labels (applications, tags) in a narrow table cell: the first one, cut with an ellipsis when long, then "+N"
// with the rest on hover, so a cell never hides that more labels exist.
import { Badge } from "@/components/ui/badge";
import { SourceText } from "@/components/ui/source-text";

export function LabelList({ labels }: { labels: string[] }) {
  const [first, ...rest] = labels;
  if (first === undefined) return <span className="text-slate-400">—</span>;
  return (
    <span className="flex min-w-0 items-center gap-1">
      <Badge className="block min-w-0 truncate" title={first}>
        <SourceText>{first}</SourceText>
      </Badge>
      {rest.length > 0 ? (
        <span className="shrink-0 cursor-default text-xs font-medium text-slate-600" title={rest.join(", ")} data-testid="more-labels">
          +{rest.length}
          <span className="sr-only">: {rest.join(", ")}</span>
        </span>
      ) : null}
    </span>
  );
}
