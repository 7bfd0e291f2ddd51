import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/server/auth";
import { databaseReady } from "@/server/db";

export const runtime = "nodejs";

async function handler(req: Request) {
  await databaseReady();
  return getAuth().handler(req);
}

export const { GET, POST } = toNextJsHandler(handler);
