// `npm run tenable:sim`: serve the Tenable.io simulator on a fixed port until interrupted.
import { parseArgs } from "node:util";
import { closeOnSignals, intOption } from "../simulator-kit/http";
import { apiKeysHeader, TENABLE_KEYS } from "./keys";
import { DEFAULT_SEED_OPTIONS } from "./seed";
import { startTenableSimulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    seed: { type: "string" },
    assets: { type: "string" },
    "findings-per-asset": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Usage: npm run tenable:sim -- [--port 4020] [--host 127.0.0.1] [--seed 42] [--assets 25]
       [--findings-per-asset 8]
Environment: TENABLE_SIM_PORT, TENABLE_SIM_HOST, TENABLE_SIM_SEED (flags win).`);
  process.exit(0);
}

const started = performance.now();
const simulator = await startTenableSimulator({
  port: intOption("port", values.port ?? process.env.TENABLE_SIM_PORT, 4020),
  host: values.host ?? process.env.TENABLE_SIM_HOST ?? "127.0.0.1",
  seed: intOption("seed", values.seed ?? process.env.TENABLE_SIM_SEED, DEFAULT_SEED_OPTIONS.seed),
  assets: intOption("assets", values.assets, DEFAULT_SEED_OPTIONS.assets),
  findingsPerAsset: intOption("findings-per-asset", values["findings-per-asset"], DEFAULT_SEED_OPTIONS.findingsPerAsset),
});

const counts = simulator.data.counts();
console.log(`Tenable.io simulator listening on ${simulator.url} (ready in ${(performance.now() - started).toFixed(0)} ms)
  Base URL:    ${simulator.baseUrl}
  Control API: ${simulator.url}/__control   (no auth; loopback only)
  Data: ${counts.assets} assets, ${counts.findings} findings (generated on demand)
Keys (X-ApiKeys header):`);
for (const [name, key] of Object.entries(TENABLE_KEYS)) {
  console.log(`  ${name.padEnd(9)} permissions ${String(key.permissions).padEnd(3)} ${apiKeysHeader(key)}`);
}

closeOnSignals(simulator);
