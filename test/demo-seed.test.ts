// `npm run demo` twice keeps the data: the seed creates the demo company once and its people once.
import { count } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { companies, memberships, user } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_USERS } from "@/server/demo";
import { seedDemo } from "@/server/demo-seed";
import { callerFor, installDatabase, signInCookie } from "./fixtures";
import { createPostgresTestDatabase } from "./databases";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createPostgresTestDatabase();
  installDatabase(handle);
});
afterAll(async () => {
  await handle.close();
});

it("seeds once and signs each demo person in with their role", async () => {
  expect(await seedDemo(handle.db)).toEqual({ created: true });
  expect(await seedDemo(handle.db)).toEqual({ created: false });
  const [c] = await handle.db.select({ n: count() }).from(companies);
  const [u] = await handle.db.select({ n: count() }).from(user);
  const [m] = await handle.db.select({ n: count() }).from(memberships);
  expect([c!.n, u!.n, m!.n]).toEqual([1, 3, 3]);
  for (const person of DEMO_USERS) {
    expect(await signInCookie(person.email, DEMO_PASSWORD)).toContain("session_token");
    expect((await (await callerFor(person.email, {}, DEMO_PASSWORD)).me.get()).role).toBe(person.role);
  }
});
