// Text that came from outside (Salt, a scanner, a person): endpoint paths, gap names, hosts, labels, categories.
// <bdi> isolates it, so a right-to-left override inside it cannot reorder the text around it; a long unbroken
// string wraps anywhere rather than widening the page (inside a `truncate` parent it is cut with an ellipsis).
import { cn } from "./cn";

export function SourceText({ children, className, ...props }: Omit<React.ComponentProps<"bdi">, "children"> & { children: string }) {
  return (
    <bdi className={cn("[overflow-wrap:anywhere]", className)} {...props}>
      {children}
    </bdi>
  );
}
