// A third-party key written through the app appears in no procedure output and not as plain text in the
// database. Every read procedure an admin can call on the integration is exercised.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { integrations } from "@/db/schema";
import { encryptSecret } from "@/server/security/secrets";
import { rotateWebhookToken } from "@/server/integrations/webhook-token";
import { callerFor, installDatabase, seedCompany } from "./fixtures";
import { createPostgresTestDatabase } from "./databases";

const CANARY = "salt-canary-7d1f0c2b9e4a4f6b8c3d";
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
});
afterAll(async () => {
  await handle.close();
});

it("never returns or stores the key in plain text", async () => {
  const { company, members } = await seedCompany(handle);
  const [row] = await handle.db
    .insert(integrations)
    .values({
      companyId: company.id,
      kind: "salt_security",
      state: "connected",
      region: "us",
      credentialsEncrypted: encryptSecret(JSON.stringify({ apiKey: CANARY })),
    })
    .returning();
  await rotateWebhookToken(handle.db, { companyId: company.id, integrationId: row!.id });

  const admin = await callerFor(members.admin.email);
  const outputs = [await admin.me.get(), await admin.integrations.byId({ id: row!.id })];
  for (const output of outputs) {
    expect(JSON.stringify(output)).not.toContain(CANARY);
  }
  const publicView = outputs[1] as Record<string, unknown>;
  expect(publicView.credentialsConfigured).toBe(true);
  expect(publicView).not.toHaveProperty("credentialsEncrypted");
  expect(publicView).not.toHaveProperty("webhookTokenHash");

  // Every row of the tables that could hold it, as text.
  const dump = await handle.db.execute(sql`
    select row_to_json(x)::text as t from integrations x
    union all select row_to_json(x)::text from webhook_deliveries x
    union all select row_to_json(x)::text from sync_runs x`);
  const text = JSON.stringify(dump);
  expect(text).toContain("v1."); // the envelope is there…
  expect(text).not.toContain(CANARY); // …and the key is not
});
