// `npm run salt:sim`: serve the Salt simulator on a fixed port until interrupted.
import { parseArgs } from "node:util";
import { closeOnSignals, intOption } from "../simulator-kit/http";
import { DEFAULT_SEED_OPTIONS } from "./seed";
import { SIMULATOR_KEYS } from "./keys";
import { startSaltSimulator } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    seed: { type: "string" },
    hosts: { type: "string" },
    "endpoints-per-host": { type: "string" },
    "gaps-per-endpoint": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Usage: npm run salt:sim -- [--port 4010] [--host 127.0.0.1] [--seed 42] [--hosts 12]
       [--endpoints-per-host 25] [--gaps-per-endpoint 2]
Environment: SALT_SIM_PORT, SALT_SIM_HOST, SALT_SIM_SEED (flags win).`);
  process.exit(0);
}

const simulator = await startSaltSimulator({
  port: intOption("port", values.port ?? process.env.SALT_SIM_PORT, 4010),
  host: values.host ?? process.env.SALT_SIM_HOST ?? "127.0.0.1",
  seed: intOption("seed", values.seed ?? process.env.SALT_SIM_SEED, DEFAULT_SEED_OPTIONS.seed),
  hosts: intOption("hosts", values.hosts, DEFAULT_SEED_OPTIONS.hosts),
  endpointsPerHost: intOption("endpoints-per-host", values["endpoints-per-host"], DEFAULT_SEED_OPTIONS.endpointsPerHost),
  gapsPerEndpoint: intOption("gaps-per-endpoint", values["gaps-per-endpoint"], DEFAULT_SEED_OPTIONS.gapsPerEndpoint),
});

const counts = simulator.state.counts();
console.log(`Salt simulator listening on ${simulator.url}
  US base URL: ${simulator.baseUrls.us}      (SALT_US_BASE_URL=${simulator.baseUrls.us})
  EU base URL: ${simulator.baseUrls.eu}      (SALT_EU_BASE_URL=${simulator.baseUrls.eu})
  Control API: ${simulator.url}/__control   (no auth; loopback only)
  Data: ${counts.hosts} hosts, ${counts.endpoints} endpoints, ${counts.postureGaps} posture gaps
Keys:`);
for (const key of Object.values(SIMULATOR_KEYS)) {
  const scopes = key.scopes.length > 0 ? key.scopes.join("+") : "no scopes";
  console.log(`  ${key.key.padEnd(18)} ${key.region.toUpperCase()}  ${scopes.padEnd(26)} expires ${key.expiresAt}`);
}

closeOnSignals(simulator);
