// Tenable.io integration: the typed client, finding and node identity. Tenable's field names stay in this folder.
export {
  createTenableClient,
  exportSince,
  type TenableClient,
  type TenableClientOptions,
  type TenablePollOptions,
  type VulnExportRequest,
  type ExportWindow,
  type ExportedChunk,
  type ExportProgress,
  type SkippedFinding,
  type VulnExport,
  type AssetToImport,
  type AssetImportResult,
} from "./client";
export { TenableError, isTenableError, TENABLE_ERROR_CODES, type TenableErrorCode, type TenableErrorDetails, type MissingChunk } from "./errors";
export { findingIdentity, moreRecentResult, normaliseFqdn, observedAt, NodeIndex, type KnownNode } from "./identity";
export { TENABLE_DEFAULT_BASE_URL, TENABLE_SEVERITIES, TENABLE_STATES } from "./conventions";
export type { TenableAsset, TenableFinding, TenableSeverity, TenableState, ExportStatus } from "./schemas";
