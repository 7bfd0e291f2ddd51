// Where the encryption key and the session-signing secret come from. With DATABASE_URL they must be set
// in the environment (server/env.ts refuses to start otherwise); in embedded mode they are generated once
// into DATA_DIR so a single-machine install needs no set-up and keeps working across restarts.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { env } from "@/server/env";
import { secureDataDir } from "./data-dir";

const fileSchema = z.object({ encryptionKey: z.string(), authSecret: z.string() });
type SecretsConfig = z.infer<typeof fileSchema>;

const globalForSecrets = globalThis as unknown as { __posturaSecrets?: SecretsConfig };

export function getSecretsConfig(): SecretsConfig {
  if (globalForSecrets.__posturaSecrets) return globalForSecrets.__posturaSecrets;
  let config: SecretsConfig;
  if (env.APP_ENCRYPTION_KEY && env.BETTER_AUTH_SECRET) {
    config = { encryptionKey: env.APP_ENCRYPTION_KEY, authSecret: env.BETTER_AUTH_SECRET };
  } else {
    const local = readOrCreateLocalSecrets(env.DATA_DIR);
    config = {
      encryptionKey: env.APP_ENCRYPTION_KEY ?? local.encryptionKey,
      authSecret: env.BETTER_AUTH_SECRET ?? local.authSecret,
    };
  }
  globalForSecrets.__posturaSecrets = config;
  return config;
}

function readOrCreateLocalSecrets(dataDir: string): SecretsConfig {
  secureDataDir(dataDir);
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return fileSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const created = {
    encryptionKey: randomBytes(32).toString("base64"),
    authSecret: randomBytes(32).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(created, null, 2), { mode: 0o600, flag: "wx" });
  return created;
}
