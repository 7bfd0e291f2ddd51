import { NotFoundPage } from "@/components/views/not-found-page";

export default function IssueNotFound() {
  return (
    <NotFoundPage
      title="This issue does not exist"
      description="The link may be old, or the issue belongs to another company. Find it in the list instead."
      back={{ href: "/issues", label: "Back to Issues" }}
    />
  );
}
