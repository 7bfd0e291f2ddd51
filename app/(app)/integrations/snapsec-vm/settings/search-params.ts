// The Snapsec VM settings page's open section, in the URL (?tab=headers).
import { createLoader, parseAsBoolean, parseAsStringLiteral } from "nuqs/server";
import { vmWizardSteps } from "@/lib/integration-wizard";

export const vmSettingsSearchParams = {
  tab: parseAsStringLiteral(vmWizardSteps).withDefault("assessments"),
  connected: parseAsBoolean.withDefault(false),
};
export const loadVmSettingsSearchParams = createLoader(vmSettingsSearchParams);
