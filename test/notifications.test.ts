// Notifications on both databases, to a real HTTP receiver and a real SMTP server on loopback: settings (password
// encrypted, never returned; URLs validated; admins only), new Critical issues coalesced into one message, retries
// after 500 and after 429 with Retry-After, a redirect not followed, a rule off sends nothing, and company scoping.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { defaultIntegrationSettings, integrations, issues, notificationOutbox, notificationSettings } from "@/db/schema";
import { defaultNotificationRules } from "@/lib/notifications";
import { getBoss, resetJobRuntime } from "@/server/jobs/runtime";
import { deliverNotifications } from "@/server/notifications/delivery";
import { databaseNow, notifyNewCriticalIssues, notifySlaBreaches } from "@/server/notifications/rules";
import { createTestDatabase, type TestEngine } from "./databases";
import { callerFor, installDatabase, seedCompany, trpcError } from "./fixtures";
import { seedInventory } from "./seed-inventory";

const SMTP_USER = "postura";
const SMTP_PASSWORD = "smtp-secret-7f3a91";

type Received = { body: { text: string; blocks?: unknown[] } };
type Answer = { status: number; headers?: Record<string, string>; body?: string };

/** A Slack-like receiver: records every POST and answers from a script (200 once the script is used up). */
async function startReceiver() {
  const received: Received[] = [];
  const script: Answer[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Received["body"] });
    const answer = script.shift() ?? { status: 200, body: "ok" };
    res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real SMTP server that takes the test's user and password, and records each message. */
async function startSmtp() {
  const messages: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: auth.username });
      return callback(new Error("Invalid username or password"));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push(Buffer.concat(chunks).toString("utf8"));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each<TestEngine>(["postgres", "pglite"])("notifications on %s", (engine) => {
  let handle: DatabaseHandle;
  let boss: PgBoss;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    installDatabase(handle);
    resetJobRuntime();
    boss = await getBoss();
    receiver = await startReceiver();
    smtp = await startSmtp();
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    resetJobRuntime();
    await handle?.close();
    await receiver?.close();
    await smtp?.close();
  });

  beforeEach(() => {
    receiver.received.length = 0;
    receiver.script.length = 0;
    smtp.messages.length = 0;
  });

  /** A company with webhook and e-mail set up by its admin, and a connected Salt integration with issues. */
  async function tenant({ email = true }: { email?: boolean } = {}) {
    const seeded = await seedCompany(handle);
    const admin = await callerFor(seeded.members.admin.email);
    await admin.notifications.save({
      webhookUrl: receiver.url,
      smtp: email
        ? { host: "127.0.0.1", port: smtp.port, tls: "none", user: SMTP_USER, password: SMTP_PASSWORD, from: "postura@example.test", recipients: ["secops@example.test"] }
        : null,
      rules: defaultNotificationRules,
    });
    const [integration] = await handle.db
      .insert(integrations)
      .values({ companyId: seeded.company.id, kind: "salt_security", state: "connected", wizardStep: "done", region: "us", settings: defaultIntegrationSettings })
      .returning();
    return { ...seeded, admin, integration: integration! };
  }

  /** Makes `count` of the company's issues new Critical issues of the integration, created now. */
  async function newCriticalIssues(companyId: string, integrationId: string, count: number) {
    const since = await databaseNow(handle.db);
    // Random per API (0 to 2× issuesPerApi), so 10 APIs: far more issues than any test here marks Critical.
    const seeded = await seedInventory(handle.db, { companyId, fqdns: 1, apisPerFqdn: 10, issuesPerApi: 3, withHistory: false, seed: 4242 });
    if (seeded.issueCount < count) throw new Error(`the seed made ${seeded.issueCount} issues, fewer than ${count}`);
    await handle.db.update(issues).set({ integrationId, severity: "low", createdAt: sql`now() - interval '1 day'` }).where(eq(issues.companyId, companyId));
    await handle.db.execute(sql`
      update issues set severity = 'critical', created_at = clock_timestamp()
      where id in (select id from issues where company_id = ${companyId} order by id limit ${count})`);
    return since;
  }

  const outboxOf = (companyId: string) => handle.db.select().from(notificationOutbox).where(eq(notificationOutbox.companyId, companyId));

  it("keeps the SMTP password encrypted and out of every answer; validates URLs; only admins change settings", async () => {
    const { company, admin, members } = await tenant();
    const settings = await admin.notifications.settings();
    expect(settings).toMatchObject({ webhookUrl: receiver.url, smtpPasswordSet: true, smtp: { host: "127.0.0.1", user: SMTP_USER } });
    expect(JSON.stringify(settings)).not.toContain(SMTP_PASSWORD);
    const [row] = await handle.db.select().from(notificationSettings).where(eq(notificationSettings.companyId, company.id));
    expect(row!.smtpPasswordEncrypted).toMatch(/^v1\./);
    expect(row!.smtpPasswordEncrypted).not.toContain(SMTP_PASSWORD);

    // Saving without a password keeps the stored one.
    await admin.notifications.save({ ...settings, smtp: { ...settings.smtp!, password: "" } });
    const [kept] = await handle.db.select().from(notificationSettings).where(eq(notificationSettings.companyId, company.id));
    expect(kept!.smtpPasswordEncrypted).toBe(row!.smtpPasswordEncrypted);

    const plainHttp = await trpcError(admin.notifications.save({ ...settings, webhookUrl: "http://hooks.example.com/x", smtp: null }));
    expect(plainHttp.message).toMatch(/must use https \(plain http only for a loopback address/);
    const clearRelay = await trpcError(admin.notifications.save({ ...settings, smtp: { ...settings.smtp!, host: "smtp.example.com", tls: "none" } }));
    expect(clearRelay.message).toMatch(/Without TLS, only a loopback relay/);

    const viewer = await callerFor(members.viewer.email);
    expect((await viewer.notifications.settings()).webhookUrl).toBe(receiver.url);
    expect((await trpcError(viewer.notifications.save({ ...settings, smtp: null }))).code).toBe("FORBIDDEN");
    expect((await trpcError(viewer.notifications.sendTest())).code).toBe("FORBIDDEN");
  });

  it("sends a sync run's new Critical issues as one message per channel, not one per issue", async () => {
    const { company, integration, admin } = await tenant();
    const since = await newCriticalIssues(company.id, integration.id, 3);
    expect(await notifyNewCriticalIssues(handle.db, { companyId: company.id, integrationId: integration.id, since })).toBe(6);
    // Announced once: the same issues again queue nothing.
    expect(await notifyNewCriticalIssues(handle.db, { companyId: company.id, integrationId: integration.id, since })).toBe(0);

    expect(await deliverNotifications(handle.db, { companyId: company.id })).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.body.text).toBe("3 new Critical issues in Postura");
    expect(JSON.stringify(receiver.received[0]!.body.blocks)).toMatch(/\/issues\/[0-9a-f-]{36}\|/);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]).toMatch(/Subject: \[Postura\] 3 new Critical issues in Postura/);
    expect(smtp.messages[0]).toMatch(/To: secops@example\.test/);
    expect(await outboxOf(company.id)).toEqual([]);

    const deliveries = await admin.notifications.deliveries();
    expect(deliveries.map((d) => [d.channel, d.rule, d.state, d.eventCount, d.statusCode]).sort()).toEqual([
      ["email", "criticalIssues", "sent", 3, 250],
      ["webhook", "criticalIssues", "sent", 3, 200],
    ]);
  });

  it("announces an issue's SLA breach once, when its deadline passes (Settings → SLA)", async () => {
    const { company, integration } = await tenant({ email: false });
    await newCriticalIssues(company.id, integration.id, 1);
    const [critical] = await handle.db.select().from(issues).where(sql`${issues.companyId} = ${company.id} and ${issues.severity} = 'critical'`);
    const t0 = new Date("2026-06-01T12:00:00Z");
    // The first check only sets the mark: breaches older than the rule are not announced one by one.
    expect(await notifySlaBreaches(handle.db, { companyId: company.id, now: t0 })).toBe(0);
    // Critical's SLA is 7 days: detected 7 days less an hour before t0, its deadline is t0 + 1 h.
    await handle.db.update(issues).set({ detectedAt: new Date(t0.getTime() - 7 * 86_400_000 + 3_600_000), status: "identified" }).where(eq(issues.id, critical!.id));
    expect(await notifySlaBreaches(handle.db, { companyId: company.id, now: new Date(t0.getTime() + 1_800_000) })).toBe(0);
    expect(await notifySlaBreaches(handle.db, { companyId: company.id, now: new Date(t0.getTime() + 7_200_000) })).toBe(1);
    expect(await notifySlaBreaches(handle.db, { companyId: company.id, now: new Date(t0.getTime() + 10_800_000) })).toBe(0);

    expect(await deliverNotifications(handle.db, { companyId: company.id })).toMatchObject({ sent: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(JSON.stringify(receiver.received[0]!.body)).toContain(critical!.title.slice(0, 20));
  });

  it("retries a 500, then records the 200; a 429 waits for its Retry-After", async () => {
    const { company, admin } = await tenant({ email: false });
    receiver.script.push({ status: 500, body: "upstream broke" });
    await admin.notifications.sendTest();
    const now = new Date();
    expect(await deliverNotifications(handle.db, { companyId: company.id }, { now: () => now })).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [waiting] = await outboxOf(company.id);
    expect(waiting).toMatchObject({ attempts: 1 });
    // Not due before its backoff is over.
    expect(await deliverNotifications(handle.db, { companyId: company.id }, { now: () => now })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await deliverNotifications(handle.db, { companyId: company.id }, { now: () => waiting!.notBefore })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(2);
    expect((await admin.notifications.deliveries()).map((d) => [d.attempt, d.state, d.statusCode, d.response])).toEqual([
      [2, "sent", 200, "ok"],
      [1, "retrying", 500, "upstream broke"],
    ]);

    receiver.script.push({ status: 429, headers: { "retry-after": "120" }, body: "slow down" });
    await admin.notifications.sendTest();
    const at = new Date();
    expect(await deliverNotifications(handle.db, { companyId: company.id }, { now: () => at })).toMatchObject({ retrying: 1 });
    const [limited] = await outboxOf(company.id);
    expect(limited!.notBefore.getTime() - at.getTime()).toBe(120_000);
    expect(await deliverNotifications(handle.db, { companyId: company.id }, { now: () => new Date(at.getTime() + 119_000) })).toMatchObject({ sent: 0 });
    expect(await deliverNotifications(handle.db, { companyId: company.id }, { now: () => new Date(at.getTime() + 120_000) })).toMatchObject({ sent: 1 });
  });

  it("does not follow a redirect, and records the refusal without retrying", async () => {
    const { company, admin } = await tenant({ email: false });
    receiver.script.push({ status: 302, headers: { location: "http://169.254.169.254/latest/meta-data" } });
    await admin.notifications.sendTest();
    expect(await deliverNotifications(handle.db, { companyId: company.id })).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(receiver.received).toHaveLength(1);
    const [delivery] = await admin.notifications.deliveries();
    expect(delivery).toMatchObject({ state: "failed", statusCode: 302, error: expect.stringMatching(/redirects are not followed/) });
    expect(await outboxOf(company.id)).toEqual([]);
  });

  it("queues nothing for a rule that is off, or without a destination", async () => {
    const { company, integration, admin } = await tenant();
    const settings = await admin.notifications.settings();
    await admin.notifications.save({ ...settings, smtp: { ...settings.smtp!, password: "" }, rules: { ...settings.rules, criticalIssues: false } });
    const since = await newCriticalIssues(company.id, integration.id, 2);
    expect(await notifyNewCriticalIssues(handle.db, { companyId: company.id, integrationId: integration.id, since })).toBe(0);
    expect(await deliverNotifications(handle.db, { companyId: company.id })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(0);
    expect(smtp.messages).toHaveLength(0);

    const bare = await seedCompany(handle);
    const bareAdmin = await callerFor(bare.members.admin.email);
    expect((await trpcError(bareAdmin.notifications.sendTest())).message).toMatch(/Set a webhook URL or SMTP settings/);
  });

  it("keeps each company's notifications to itself", async () => {
    const a = await tenant({ email: false });
    const b = await tenant({ email: false });
    await a.admin.notifications.sendTest();
    // B's run sends nothing of A's and leaves A's event waiting.
    expect(await deliverNotifications(handle.db, { companyId: b.company.id })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await outboxOf(a.company.id)).toHaveLength(1);
    expect(await deliverNotifications(handle.db, { companyId: a.company.id })).toMatchObject({ sent: 1 });
    expect(await b.admin.notifications.deliveries()).toEqual([]);
    expect(await a.admin.notifications.deliveries()).toHaveLength(1);
  });
});
