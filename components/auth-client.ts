"use client";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient();

type AppRouter = { replace: (href: string) => void; refresh: () => void };

/**
 * Signs in with the password a person just chose (setup, an accepted invitation) and opens `destination`; if that
 * sign-in fails the account still exists, so the sign-in page is where they go on.
 */
export async function signInAndOpen(router: AppRouter, credentials: { email: string; password: string }, destination: string) {
  const { error } = await authClient.signIn.email(credentials);
  router.replace(error ? "/sign-in" : destination);
  router.refresh();
}
