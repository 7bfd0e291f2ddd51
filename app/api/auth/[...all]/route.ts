import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/server/auth";
import { databaseReady } from "@/server/db";
import { guardAuthRequest } from "@/server/sign-in-guard";

export const runtime = "nodejs";

async function handler(req: Request) {
  await databaseReady();
  return guardAuthRequest(req, (allowed) => getAuth().handler(allowed));
}

export const { GET, POST } = toNextJsHandler(handler);
