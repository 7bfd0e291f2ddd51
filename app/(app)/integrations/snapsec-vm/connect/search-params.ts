// The Snapsec VM wizard's current step, in the URL (?step=headers). The server decides whether it may be shown yet.
import { createLoader, parseAsStringLiteral } from "nuqs/server";
import { vmWizardSteps, type VmWizardStep } from "@/lib/integration-wizard";

export const connectSearchParams = { step: parseAsStringLiteral(vmWizardSteps) };
export const loadConnectSearchParams = createLoader(connectSearchParams);

export const connectHref = (step: VmWizardStep) => `/integrations/snapsec-vm/connect?step=${step}`;
