// Public surface of the Salt Security API simulator (a dev/test tool; nothing in app/ or server/ runs it in production).
export { startSaltSimulator, type SaltSimulator, type SaltSimulatorOptions, type ApiRequestRecord } from "./server";
export { SIMULATOR_KEYS, type SimulatorKey, type SimulatorKeyName } from "./keys";
export * from "./conventions";
export type { FaultSpec, ActiveFault, RetryAfter } from "../simulator-kit/faults";
export type { WebhookConfig, WebhookDelivery } from "./webhook";
export { renderWebhookBody } from "./webhook";
export type {
  WriteBackRecord,
  NewHost,
  NewEndpoint,
  NewPostureGap,
  PostureGapPatch,
  SimulatorState,
} from "./store";
export { DEFAULT_SEED_OPTIONS, generateSeedData, type SeedOptions } from "./seed";
