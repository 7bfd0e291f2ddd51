import { NotFoundPage } from "@/components/views/not-found-page";

export default function ApiNotFound() {
  return (
    <NotFoundPage
      title="This API does not exist"
      description="The link may be old, or the API belongs to another company. Find it in the list instead."
      back={{ href: "/assets/apis", label: "Back to APIs" }}
    />
  );
}
