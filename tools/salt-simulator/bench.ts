// Page timings at the scale (200 hosts, 20,000 endpoints, 100,000 posture gaps): `npx tsx tools/salt-simulator/bench.ts`.
import { SIMULATOR_KEYS } from "./keys";
import { startSaltSimulator } from "./server";

const started = performance.now();
const simulator = await startSaltSimulator({ hosts: 200, endpointsPerHost: 100, gapsPerEndpoint: 5 });
const counts = simulator.state.counts();
console.log(
  `seeded ${counts.hosts} hosts, ${counts.endpoints} endpoints, ${counts.postureGaps} posture gaps in ${(performance.now() - started).toFixed(0)} ms`,
);
const memoryMb = process.memoryUsage().heapUsed / 1024 / 1024;
console.log(`heap used: ${memoryMb.toFixed(0)} MB`);

const headers = { authorization: `Bearer ${SIMULATOR_KEYS.usFull.key}` };
const lastHost = simulator.state.listHosts({ offset: 199, limit: 1 }).response[0]?.host ?? "";
const cases: [string, string][] = [
  ["gaps, first 500", "/v1/apigovern/posture/gaps?limit=500&offset=0"],
  ["gaps, 500 at offset 99,500", "/v1/apigovern/posture/gaps?limit=500&offset=99500"],
  ["gaps, status=Open severity=High, offset 10,000", "/v1/apigovern/posture/gaps?limit=500&offset=10000&status=Open&severity=High"],
  ["gaps, one host (last), 500", `/v1/apigovern/posture/gaps?limit=500&offset=0&host=${encodeURIComponent(lastHost)}`],
  ["endpoints, 500 at offset 19,500", "/v1/inventory/endpoints?limit=500&offset=19500"],
  ["hosts, 200", "/v1/inventory/hosts?limit=500&offset=0"],
];

for (const [name, path] of cases) {
  const timings: number[] = [];
  let rows = 0;
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const res = await fetch(`${simulator.baseUrls.us}${path}`, { headers });
    const body = (await res.json()) as { response: unknown[] };
    timings.push(performance.now() - t0);
    rows = body.response.length;
  }
  timings.sort((a, b) => a - b);
  const median = timings[Math.floor(timings.length / 2)] ?? 0;
  const p95 = timings[Math.floor(timings.length * 0.95)] ?? 0;
  console.log(`${name.padEnd(48)} ${String(rows).padStart(4)} rows  median ${median.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms`);
}
await simulator.close();
