// The same stack on the embedded database: migrations, sign-in, company scoping and a mutation on PGlite.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { assets } from "@/db/schema";
import { callerFor, installDatabase, seedCompany } from "./fixtures";
import { createPgliteTestDatabase } from "./databases";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createPgliteTestDatabase();
  installDatabase(handle);
});
afterAll(async () => {
  await handle.close();
});

it("signs in, scopes by company and edits on PGlite", async () => {
  const a = await seedCompany(handle, "Embedded A");
  const b = await seedCompany(handle, "Embedded B");
  const [domain] = await handle.db
    .insert(assets)
    .values({ companyId: a.company.id, assetType: "domain", name: "api.a.example", externalRef: "api.a.example" })
    .returning();

  const analyst = await callerFor(a.members.analyst.email);
  expect((await analyst.me.get()).company.name).toBe("Embedded A");
  const updated = await analyst.assets.setBusinessImpact({ id: domain!.id, businessImpact: "high" });
  expect(updated.businessImpact).toBe("high");

  const outsider = await callerFor(b.members.admin.email);
  const error = await outsider.assets.byId({ id: domain!.id }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe("NOT_FOUND");
});
