// What people and operators see when things go wrong: input errors name the field (control characters
// included), unexpected errors carry a classified sentence and an error id instead of SQL, stored run errors
// that are raw database text are never shown, logs stay one escaped JSON object per line with secrets
// redacted, and the health, readiness and metrics endpoints answer.
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets, syncRuns } from "@/db/schema";
import { GET as healthGET } from "@/app/api/health/route";
import { GET as metricsGET } from "@/app/api/metrics/route";
import { GET as readyGET } from "@/app/api/ready/route";
import { GET as trpcGET } from "@/app/api/trpc/[trpc]/route";
import { POST as webhookPOST } from "@/app/api/v3/integrations/scanners/salt_security/webhook/route";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { createPinoLogger, loggerFor, withLogContext } from "@/server/logger";
import { metricsAuthorized } from "@/server/metrics";
import { createPostgresTestDatabase } from "./databases";
import { callerFor, installDatabase, seedCompany, signInCookie } from "./fixtures";

const METRICS_TOKEN = vi.hoisted(() => {
  const token = "metrics-token-for-tests-0123456789";
  process.env.METRICS_TOKEN = token;
  return token;
});

let handle: DatabaseHandle;
let boss: PgBoss;
let tenant: Awaited<ReturnType<typeof seedCompany>>;

beforeAll(async () => {
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
  resetJobRuntime();
  boss = await getBoss();
  tenant = await seedCompany(handle);
});
afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  resetJobRuntime();
  await handle?.close();
});

async function trpcQuery(path: string, input: unknown, email: string) {
  const url = `http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await trpcGET(new Request(url, { headers: { cookie: await signInCookie(email) } }));
  const text = await response.text();
  return { status: response.status, text, error: (JSON.parse(text) as { error?: { json: { message: string; data: Record<string, unknown> } } }).error?.json };
}

describe("API error text", () => {
  it("answers a NUL in a list filter with 400 naming the field, not a 500 with SQL", async () => {
    for (const [path, input, field] of [
      ["issues.list", { q: "abc\u0000def" }, "q"],
      ["issues.list", { categories: ["x\u0000"] }, "categories.0"],
      ["assets.listFqdns", { tag: "\u0000" }, "tag"],
      ["assets.listApis", { q: "\u001b[2J" }, "q"],
    ] as const) {
      const { status, error, text } = await trpcQuery(path, input, tenant.members.viewer.email);
      expect(status).toBe(400);
      expect(error?.message).toBe(`Invalid input — ${field}: must not contain control characters`);
      expect(error?.data.field).toBe(field);
      expect(text).not.toMatch(/select|from "|params/i);
    }
  });

  it("answers an unexpected database failure with a classified message and an error id, never the SQL", async () => {
    await handle.db.execute(sql`alter table issues rename to issues_away`);
    try {
      for (const role of ["viewer", "analyst", "admin"] as const) {
        const { status, error, text } = await trpcQuery("issues.list", {}, tenant.members[role].email);
        expect(status).toBe(500);
        expect(error?.message).toMatch(/^Something went wrong on our side\. If it keeps happening, give your administrator error id [0-9a-f]{12}\.$/);
        expect(error?.message).toContain(String(error?.data.errorId));
        expect(text).not.toMatch(/select|params|company_id|relation|does not exist|failed query|"stack"/i);
        expect(text).not.toContain(tenant.company.id);
      }
    } finally {
      await handle.db.execute(sql`alter table issues_away rename to issues`);
    }
  });

  it("never shows a stored sync error that is raw database text, to any role", async () => {
    const [integration] = await handle.db.execute(sql`
      insert into integrations (company_id, kind, state, wizard_step, region)
      values (${tenant.company.id}, 'salt_security', 'connected', 'done', 'us') returning id`).then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: { id: string }[] }).rows) as { id: string }[]);
    const [domain] = await handle.db
      .insert(assets)
      .values({ companyId: tenant.company.id, assetType: "domain", name: "raw.example", externalRef: "raw.example", integrationId: integration!.id })
      .returning();
    const raw = `Failed query: insert into "issues" ("company_id", "title") values ($1, $2)\nparams: ${tenant.company.id},bad`;
    await handle.db.insert(syncRuns).values([
      { companyId: tenant.company.id, integrationId: integration!.id, trigger: "manual", domain: "raw.example", state: "failed", errorCode: "internal", errorMessage: raw },
      { companyId: tenant.company.id, integrationId: integration!.id, trigger: "manual", domain: "raw.example", state: "failed", errorCode: "rate_limited", errorMessage: "Salt Security rate limited the sync; it will retry." },
    ]);
    for (const role of ["viewer", "analyst", "admin"] as const) {
      const caller = await callerFor(tenant.members[role].email);
      const runs = await caller.sync.runs({ integrationId: integration!.id });
      const activity = await caller.assets.domainActivity({ id: domain!.id });
      for (const messages of [runs.map((r) => r.errorMessage), activity.runs.map((r) => r.errorMessage)]) {
        expect(messages).toContain("Salt Security rate limited the sync; it will retry.");
        expect(messages).toContain("An internal error stopped this run (the details are in the server log).");
        expect(JSON.stringify(messages)).not.toMatch(/Failed query|insert into|params/);
      }
    }
  });
});

describe("logs", () => {
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    });
    return { lines, logger: loggerFor(() => createPinoLogger(stream, "debug")) };
  }

  it("writes one JSON object per line whatever the input, with secrets redacted and errors serialized", () => {
    const { lines, logger } = capture();
    const hostile = 'acme\u0000\r\n{"level":"error","message":"forged"}\u001b[31m';
    withLogContext({ requestId: "req-1234567890" }, () => {
      logger.warn(`webhook rejected ${hostile}`, {
        company_id: hostile,
        webhook_token: "whk_secret",
        headers: { authorization: "Bearer secret", cookie: "session=secret" },
        error: new Error(`boom ${hostile}`),
      });
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: "warn",
      requestId: "req-1234567890",
      message: `webhook rejected ${hostile}`,
      company_id: hostile,
      webhook_token: "[redacted]",
      headers: { authorization: "[redacted]", cookie: "[redacted]" },
      error: { type: "Error", message: `boom ${hostile}` },
    });
    expect(lines[0]).not.toContain("secret");
  });
});

describe("health, readiness and metrics", () => {
  it("answers liveness and readiness (database and queue reachable)", async () => {
    expect((await healthGET()).status).toBe(200);
    const ready = await readyGET();
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: "ok", queue: "ok" });
  });

  it("serves Prometheus metrics only with the token, including webhook answers and queue depth", async () => {
    await webhookPOST(new Request("http://localhost/webhook", { method: "POST", headers: { "x-forwarded-for": "192.0.2.9" }, body: "not json" }));
    expect((await metricsGET(new Request("http://localhost/api/metrics"))).status).toBe(401);
    expect((await metricsGET(new Request("http://localhost/api/metrics", { headers: { authorization: "Bearer wrong" } }))).status).toBe(401);
    const response = await metricsGET(new Request("http://localhost/api/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/postura_webhook_deliveries_total\{answer="400"\} [1-9]/);
    expect(text).toMatch(/postura_queue_jobs\{queue="domain-sync",state="queued"\} \d+/);
    expect(text).toContain("postura_sync_run_duration_seconds");
    expect(text).toContain("postura_job_duration_seconds");
  });

  it("compares the metrics token in constant time and refuses when none is configured", () => {
    expect(metricsAuthorized(`Bearer ${METRICS_TOKEN}`, METRICS_TOKEN)).toBe(true);
    expect(metricsAuthorized(`Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN)).toBe(false);
    expect(metricsAuthorized(METRICS_TOKEN, METRICS_TOKEN)).toBe(false);
    expect(metricsAuthorized(`Bearer ${METRICS_TOKEN}`, undefined)).toBe(false);
  });
});
