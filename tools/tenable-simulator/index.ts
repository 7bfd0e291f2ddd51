// Public surface of the Tenable.io simulator (a dev/test tool; nothing in app/ or server/ runs it in production).
export {
  startTenableSimulator,
  type TenableSimulator,
  type TenableSimulatorOptions,
  type ApiRequestRecord,
  type AssetImportRecord,
} from "./server";
export { TENABLE_KEYS, apiKeysHeader, type TenableKey, type TenableKeyName } from "./keys";
export * from "./conventions";
export type { FaultSpec, ActiveFault, RetryAfter } from "../simulator-kit/faults";
export type { ExportPlan, ExportJob } from "./exports";
export type { ScanSpec, ScanResult, NewFinding, FindingRef } from "./store";
export { DEFAULT_SEED_OPTIONS, type SeedOptions } from "./seed";
