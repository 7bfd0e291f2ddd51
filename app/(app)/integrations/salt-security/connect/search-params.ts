// The wizard's current step, in the URL (?step=mapping). The server decides whether that step may be shown yet.
import { createLoader, parseAsStringLiteral } from "nuqs/server";
import { wizardSteps } from "@/lib/integration-wizard";

export const connectSearchParams = { step: parseAsStringLiteral(wizardSteps) };
export const loadConnectSearchParams = createLoader(connectSearchParams);

export const connectHref = (step: (typeof wizardSteps)[number]) => `/integrations/salt-security/connect?step=${step}`;
