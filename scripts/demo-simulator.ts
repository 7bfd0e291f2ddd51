// Demo mode's Salt Security: the simulator on a random loopback port, with the server pointed at it and
// a demo key to paste on the wizard's credentials step.
import { SIMULATOR_KEYS, startSaltSimulator } from "../tools/salt-simulator";
import { startTenableSimulator } from "../tools/tenable-simulator";

/**
 * Demo mode's Tenable.io: its simulator with demo keys (TENABLE_DEMO_*). Its first assets carry Salt's host names,
 * so both vendors' findings meet on one asset once the Tenable connector imports them.
 */
async function startDemoTenableSimulator(childEnv: NodeJS.ProcessEnv, fqdns: string[]): Promise<{ close(): Promise<void> }> {
  const simulator = await startTenableSimulator({ port: Number(process.env.TENABLE_SIM_PORT ?? 0), host: "127.0.0.1", fqdns });
  childEnv.TENABLE_DEMO_BASE_URL ??= simulator.baseUrl;
  childEnv.TENABLE_DEMO_ACCESS_KEY ??= simulator.keys.admin.accessKey;
  childEnv.TENABLE_DEMO_SECRET_KEY ??= simulator.keys.admin.secretKey;
  console.log(
    `Tenable.io simulator: ${simulator.baseUrl} (demo keys: access ${childEnv.TENABLE_DEMO_ACCESS_KEY}, secret ${childEnv.TENABLE_DEMO_SECRET_KEY})`,
  );
  return simulator;
}

export async function startDemoSimulator(childEnv: NodeJS.ProcessEnv): Promise<{ hosts: string[]; close(): Promise<void> }> {
  const simulator = await startSaltSimulator({ port: Number(process.env.SALT_SIM_PORT ?? 0), host: "127.0.0.1" });
  childEnv.SALT_US_BASE_URL = simulator.baseUrls.us;
  childEnv.SALT_EU_BASE_URL = simulator.baseUrls.eu;
  childEnv.SALT_DEMO_API_KEY ??= SIMULATOR_KEYS.usFull.key;
  console.log(`Salt Security simulator: ${simulator.url} (demo API key: ${childEnv.SALT_DEMO_API_KEY}, region US)`);
  const hosts = simulator.state.listHosts({ offset: 0, limit: 1000 }).response.map((h) => h.host);
  const tenable = await startDemoTenableSimulator(childEnv, hosts);
  return { hosts, close: async () => void (await Promise.all([simulator.close(), tenable.close()])) };
}

/** Demo mode's Snapsec VM: its simulator, with a base URL and a demo key to paste in the Snapsec VM wizard. */
export async function startDemoVmSimulator(childEnv: NodeJS.ProcessEnv): Promise<{ close(): Promise<void> }> {
  const { VM_SIMULATOR_KEYS, startSnapsecVmSimulator } = await import("../tools/snapsec-vm-simulator");
  const simulator = await startSnapsecVmSimulator({ port: Number(process.env.VM_SIM_PORT ?? 0), host: "127.0.0.1" });
  childEnv.SNAPSEC_VM_DEMO_BASE_URL ??= simulator.url;
  childEnv.SNAPSEC_VM_DEMO_API_KEY ??= VM_SIMULATOR_KEYS.admin.key;
  console.log(`Snapsec VM simulator: ${simulator.url} (demo API key: ${childEnv.SNAPSEC_VM_DEMO_API_KEY})`);
  return simulator;
}
