// `npm run vm:sim`: serve the Snapsec VM simulator on a fixed port until interrupted.
import { parseArgs } from "node:util";
import { closeOnSignals } from "../simulator-kit/http";
import { VM_SIMULATOR_KEYS } from "./keys";
import { startSnapsecVmSimulator, VM_CONTROL_PREFIX } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Usage: npm run vm:sim -- [--port 4020] [--host 127.0.0.1]
Environment: VM_SIM_PORT, VM_SIM_HOST (flags win).`);
  process.exit(0);
}

const portText = values.port ?? process.env.VM_SIM_PORT ?? "4020";
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be an integer from 0 to 65535, got "${portText}"`);
  process.exit(2);
}

const simulator = await startSnapsecVmSimulator({ port, host: values.host ?? process.env.VM_SIM_HOST ?? "127.0.0.1" });
const counts = simulator.state.counts();
console.log(`Snapsec VM simulator listening on ${simulator.url}
  VM base URL: ${simulator.url}
  Control API: ${simulator.url}${VM_CONTROL_PREFIX}   (no auth; loopback only)
  Data: ${counts.assessments} assessments, ${counts.vulnerabilities} vulnerabilities
Keys (x-api-key, or Authorization: Bearer):`);
for (const key of Object.values(VM_SIMULATOR_KEYS)) {
  const notes = [
    key.role,
    key.revoked ? "revoked" : "",
    ...Object.entries(key.requiredHeaders).map(([name, value]) => `needs header ${name}: ${value}`),
  ].filter(Boolean);
  console.log(`  ${key.key.padEnd(22)} ${notes.join(", ")}`);
}

closeOnSignals(simulator);
