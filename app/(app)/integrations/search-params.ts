// The integrations catalog's search box, in the URL (?q=salt).
import { createLoader, parseAsString } from "nuqs/server";

export const catalogSearchParams = { q: parseAsString.withDefault("") };
export const loadCatalogSearchParams = createLoader(catalogSearchParams);
