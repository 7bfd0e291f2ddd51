// Public surface of the Snapsec VM simulator (a dev/test tool; nothing in app/ or server/ runs it in production).
export { startSnapsecVmSimulator, VM_WORKSPACE, VM_CONTROL_PREFIX } from "./server";
export type { VmSimulator, VmSimulatorOptions, VmRequestRecord } from "./server";
export { VM_SIMULATOR_KEYS, type VmSimulatorKey, type VmSimulatorKeyName } from "./keys";
export { GATEWAY_LOGIN_PATH, type GatewayConfig } from "./gateway";
export { SEEDED_ASSESSMENTS, type VmWorkspaceState } from "./store";
export type { FaultSpec, ActiveFault } from "../simulator-kit/faults";
