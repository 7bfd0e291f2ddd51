// Snapsec VM integration: the typed client and what callers need from it. VM's field names stay in this folder.
export { createSnapsecVmClient } from "./client";
export type { SnapsecVmClient, SnapsecVmClientOptions, VmBulkUpsertReport, VmConnection, VmRequestEvent } from "./client";
export { SnapsecVmError, isSnapsecVmError, VM_CLIENT_ERROR_CODES, type SnapsecVmErrorCode } from "./errors";
export { parseVmCustomHeaders, validateVmCustomHeaders, redactHeaders } from "./headers";
export * from "./contract";
export { vmClientForIntegration, sealVmCredentials, sealVmCustomHeaders, readVmCustomHeaders } from "./integration-client";
export { toVmVulnerability, vmStatusFor, threatCategoryOf, type ForwardedIssue } from "./record";
