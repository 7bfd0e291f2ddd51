// Where a person reads a Tenable.io finding at its source. The plugin page on tenable.com is public and stable; the
// asset's page in the Tenable Vulnerability Management UI is our best knowledge of its route, kept here only.
export function tenablePluginUrl(pluginId: unknown): string | null {
  const id = typeof pluginId === "number" || typeof pluginId === "string" ? String(pluginId) : "";
  return /^\d{1,9}$/.test(id) ? `https://www.tenable.com/plugins/nessus/${id}` : null;
}

export function tenableAssetConsoleUrl(baseUrl: string | null, assetUuid: unknown): string | null {
  if (!baseUrl || typeof assetUuid !== "string" || !/^[0-9a-f-]{36}$/i.test(assetUuid)) return null;
  return `${baseUrl.replace(/\/+$/, "")}/tio/app.html#/assets-uw/hosts/details/${assetUuid}`;
}
