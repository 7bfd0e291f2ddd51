// Which source labels become applications. Salt labels are free-form ("app:checkout", "env:prod", "team:payments");
// only those starting with the integration's application prefix name an application (the rest are tags only).
// Shared by the sync engine, the settings page's preview and the seeds.

export const DEFAULT_APPLICATION_LABEL_PREFIX = "app:";
export const APPLICATION_LABEL_PREFIX_MAX = 40;

/** The prefix an integration's settings hold; integrations saved before the rule existed get the default. */
export function applicationLabelPrefix(settings: { applicationLabelPrefix?: string }): string {
  return settings.applicationLabelPrefix ?? DEFAULT_APPLICATION_LABEL_PREFIX;
}

/**
 * The application a label names, or null. The prefix is matched case-insensitively and dropped ("app:Checkout" →
 * "Checkout"); an empty prefix makes every label an application, under its full text.
 */
export function applicationFromLabel(label: string, prefix: string): string | null {
  if (label.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return null;
  const name = label.slice(prefix.length).trim();
  return name === "" ? null : name;
}

/** The distinct applications a set of labels names, sorted. */
export function applicationsFromLabels(labels: Iterable<string>, prefix: string): string[] {
  const names = new Set<string>();
  for (const label of labels) {
    const name = applicationFromLabel(label, prefix);
    if (name !== null) names.add(name);
  }
  return [...names].sort();
}
