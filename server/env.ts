// The one place environment variables are read and validated. A bad value stops the process at start-up.
import { isIP } from "node:net";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, {
    message: "must be 32 random bytes, base64-encoded (make one with: openssl rand -base64 32)",
  });

const optionalUrl = z.url().optional();

/** "10.0.0.1, 10.1.0.0/16, ::1": addresses or CIDR ranges of the reverse proxies in front of Postura. */
const proxyList = z.string().refine(
  (v) =>
    v.split(",").every((entry) => {
      const [address = "", prefix] = entry.trim().split("/");
      const family = isIP(address);
      if (family === 0) return false;
      if (prefix === undefined) return true;
      const bits = Number(prefix);
      return Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128);
    }),
  { message: "must be a comma-separated list of IP addresses or CIDR ranges (e.g. 10.0.0.1,10.1.0.0/16)" },
);

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
      .optional(),
    DATA_DIR: z.string().min(1).default(".data"),
    APP_ENCRYPTION_KEY: base64Key32.optional(),
    BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    APP_URL: optionalUrl,
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    // The address `npm run demo` binds (loopback unless set; `npm start` keeps Next's default of every interface).
    HOST: z.string().regex(/^[0-9A-Za-z.:-]+$/, "must be an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0").optional(),
    DEMO_MODE: z.enum(["true", "false"]).default("false"),
    RUN_WORKER: z.enum(["inline", "off"]).optional(),
    SALT_US_BASE_URL: optionalUrl,
    SALT_EU_BASE_URL: optionalUrl,
    SALT_DEMO_API_KEY: z.string().optional(),
    /** Set by `npm run demo`: the Snapsec VM simulator the wizard suggests in demo mode. */
    SNAPSEC_VM_DEMO_BASE_URL: optionalUrl,
    SNAPSEC_VM_DEMO_API_KEY: z.string().optional(),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** Sign-ins allowed per client address per minute (better-auth's limit; the per-account brake is apart). */
    SIGN_IN_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    TRUSTED_PROXIES: proxyList.optional(),
    // Prometheus scrapes GET /api/metrics with `Authorization: Bearer <METRICS_TOKEN>`; unset, the path answers 404.
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (make one with: openssl rand -hex 24)").optional(),
    // `npm run worker` serves its own /metrics on this port (same token) when set; web processes use /api/metrics.
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    // How long webhook deliveries are kept before the scheduled purge deletes them.
    WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** How long a person's status change can be undone before its write-back is sent. */
    STATUS_UNDO_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  },
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
  onValidationError: (issues) => {
    const lines = issues.map((i) => `  - ${i.path?.join(".") ?? "?"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}\nSee the configuration table in README.md.`);
  },
});

const building = process.env.NEXT_PHASE === "phase-production-build";
if (!building && env.DATABASE_URL && !env.APP_ENCRYPTION_KEY) {
  throw new Error(
    "APP_ENCRYPTION_KEY is required when DATABASE_URL is set: every web and worker process must share one key " +
      "to read stored credentials. Generate one with `openssl rand -base64 32`.",
  );
}
if (!building && env.DATABASE_URL && !env.BETTER_AUTH_SECRET) {
  throw new Error(
    "BETTER_AUTH_SECRET is required when DATABASE_URL is set (it signs session cookies for every web process). " +
      "Generate one with `openssl rand -base64 32`.",
  );
}

export const isEmbedded = !env.DATABASE_URL;
export const isDemo = env.DEMO_MODE === "true";

/** Where people reach Postura: links in notifications, forwarded records and invitations point here. */
export function appOrigin(): string {
  return new URL(env.APP_URL ?? `http://localhost:${env.PORT}`).origin;
}
