// `npx tsx tools/snapsec-vm-simulator/bench.ts [records]`: the typed client against the simulator, in-process —
// bulk upsert (create, then the same again: unchanged), then reading every record back. Figures include HTTP and
// JSON on both sides; on a shared machine they are noisy.
import { createSnapsecVmClient } from "../../server/integrations/snapsec-vm/client";
import { sampleVulnerability } from "./fixtures";
import { startSnapsecVmSimulator } from "./server";

const records = Number(process.argv[2] ?? 100_000);
const sim = await startSnapsecVmSimulator({ port: 0 });
const client = createSnapsecVmClient({ baseUrl: sim.url, apiKey: sim.keys.admin.key });
const assessment = await client.createAssessment({ name: "Benchmark" });

// Longer texts than the sample's, closer to a real threat description.
const items = Array.from({ length: records }, (_, i) =>
  sampleVulnerability(i, { description: "User input reaches a SQL query unescaped. ".repeat(8), tags: ["env:prod", "app:payments"] }),
);

async function timed(label: string, run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const { rss, heapUsed } = process.memoryUsage();
  const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
  console.log(
    `${label.padEnd(28)} ${seconds.toFixed(1).padStart(6)} s  ${Math.round(records / seconds).toString().padStart(7)} records/s  RSS ${mb(rss)}, heap ${mb(heapUsed)}`,
  );
}

console.log(`${records} records, batches of 500`);
await timed("upsert (created)", () => client.upsertVulnerabilities(assessment.id, items));
await timed("upsert again (unchanged)", () => client.upsertVulnerabilities(assessment.id, items));
await timed("read back (pages of 500)", async () => {
  let read = 0;
  for await (const page of client.listVulnerabilities({ assessmentId: assessment.id })) read += page.length;
  if (read !== records) throw new Error(`read ${read} of ${records}`);
});
await sim.close();
