// Salt Security integration: the typed client and what callers need from it. Salt's field names stay in this folder.
export { createSaltClient } from "./client";
export type { SaltClient, SaltClientOptions, SaltRetryOptions, PostureGapFilter } from "./client";
export { SaltError, isSaltError, SALT_ERROR_CODES, type SaltErrorCode, type SaltErrorDetails } from "./errors";
export { parseCustomHeaders, validateCustomHeaders, CustomHeadersError } from "@/server/integrations/http/headers";
export { SALT_REGIONS, SALT_DEFAULT_BASE_URLS, saltBaseUrl, isSaltRegion, type SaltRegion } from "./regions";
export {
  SALT_SEVERITIES,
  SALT_STATUSES,
  type PostureGap,
  type SaltHost,
  type SaltEndpoint,
  type SaltSeverity,
  type SaltStatus,
} from "./schemas";
