// Sign-in with better-auth: email + password, sessions stored in our database, HttpOnly SameSite cookies.
// Created lazily so that `next build` never opens a database.
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { account, session, user, verification } from "@/db/schema";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { getSecretsConfig } from "@/server/security/local-secrets";

export function appOrigin(): string {
  return new URL(env.APP_URL ?? `http://localhost:${env.PORT}`).origin;
}

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
    database: drizzleAdapter(getDb(), { provider: "pg", schema: { user, session, account, verification } }),
    emailAndPassword: {
      enabled: true,
      // Accounts are created by a company admin (or the demo seed), never by self sign-up.
      disableSignUp: true,
      minPasswordLength: 10,
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // Brute-force brake on sign-in: generous enough for a team behind one NAT, tight enough to stop guessing.
    rateLimit: {
      enabled: env.NODE_ENV === "production",
      window: 60,
      max: 200,
      customRules: { "/sign-in/email": { window: 60, max: 30 } },
    },
    advanced: {
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
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
