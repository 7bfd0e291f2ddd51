// Sign-in with better-auth: email + password, sessions stored in our database, HttpOnly SameSite cookies.
// Created lazily so that `next build` never opens a database.
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { account, rateLimit, session, user, verification } from "@/db/schema";
import { getDb } from "@/server/db";
import { appOrigin, env } from "@/server/env";
import { getSecretsConfig } from "@/server/security/local-secrets";
import { CLIENT_IP_HEADER } from "@/server/sign-in-guard";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/people";

/** Origins whose browser requests may change state: the configured one plus its loopback twins. */
export function trustedOrigins(): string[] {
  const origin = appOrigin();
  const url = new URL(origin);
  const twins = ["localhost", "127.0.0.1"].includes(url.hostname)
    ? [`${url.protocol}//localhost:${url.port}`, `${url.protocol}//127.0.0.1:${url.port}`]
    : [];
  return [...new Set([origin, ...twins])];
}

function createAuth() {
  return betterAuth({
    appName: "Postura",
    baseURL: appOrigin(),
    secret: getSecretsConfig().authSecret,
    trustedOrigins: trustedOrigins(),
    database: drizzleAdapter(getDb(), { provider: "pg", schema: { user, session, account, verification, rateLimit } }),
    emailAndPassword: {
      enabled: true,
      // Accounts come from the setup screen, invitations and the admin CLI, never from self sign-up.
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // Ours: which of the user's companies this session works in (set by me.switchCompany, never by the client).
      additionalFields: { activeCompanyId: { type: "string", required: false, input: false } },
    },
    // Per-address brake on sign-in, generous enough for a team behind one NAT. The address is the one
    // server/sign-in-guard.ts worked out (forwarded headers only from TRUSTED_PROXIES); the per-account brake
    // that stops guessing one password from many addresses lives there too.
    rateLimit: {
      enabled: true,
      // In the database, so every web process counts against the same limit.
      storage: "database",
      window: 60,
      max: 200,
      customRules: { "/sign-in/email": { window: 60, max: env.SIGN_IN_LIMIT_PER_MINUTE } },
    },
    advanced: {
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { __posturaAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.__posturaAuth ??= createAuth();
  return globalForAuth.__posturaAuth;
}

/** Drops the cached instance; the next getAuth() binds to the current process database. */
export function resetAuth(): void {
  globalForAuth.__posturaAuth = undefined;
}
