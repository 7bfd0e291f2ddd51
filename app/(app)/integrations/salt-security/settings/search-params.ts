// The settings page's open section, in the URL (?tab=webhook).
import { createLoader, parseAsBoolean, parseAsStringLiteral } from "nuqs/server";

export const settingsTabs = ["domains", "credentials", "mapping", "severities", "labels", "webhook"] as const;
export type SettingsTab = (typeof settingsTabs)[number];
export const settingsSearchParams = {
  tab: parseAsStringLiteral(settingsTabs).withDefault("domains"),
  connected: parseAsBoolean.withDefault(false),
};
export const loadSettingsSearchParams = createLoader(settingsSearchParams);
