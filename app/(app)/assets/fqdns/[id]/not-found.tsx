import { NotFoundPage } from "@/components/views/not-found-page";

export default function DomainNotFound() {
  return (
    <NotFoundPage
      title="This domain does not exist"
      description="The link may be old, or the domain belongs to another company. Find it in the list instead."
      back={{ href: "/assets/fqdns", label: "Back to FQDNs" }}
    />
  );
}
