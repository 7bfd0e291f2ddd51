// The sort keys, page size and caps of the asset and issue lists: shared by the URL parsers (client and server)
// and the routers' input schemas, so a URL can never ask for a sort the server does not know.
export const PAGE_SIZE = 25;
/** Counts stop here: beyond it the list says "10,000+" and the last reachable page is bounded too. */
export const COUNT_CAP = 10_000;
export const MAX_PAGE = Math.ceil(COUNT_CAP / PAGE_SIZE);

export const sortDirections = ["asc", "desc"] as const;
export type SortDirection = (typeof sortDirections)[number];

export const fqdnSorts = ["risk", "name", "open", "impact", "synced"] as const;
export type FqdnSort = (typeof fqdnSorts)[number];

export const apiSorts = ["risk", "name", "open"] as const;
export type ApiSort = (typeof apiSorts)[number];

export const hostSorts = ["risk", "name", "open"] as const;
export type HostSort = (typeof hostSorts)[number];

export const issueSorts = ["severity", "detected", "activity"] as const;
export type IssueSort = (typeof issueSorts)[number];

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const fqdnTabs = ["apis", "issues", "activity"] as const;
export type FqdnTab = (typeof fqdnTabs)[number];
