// The demo company's people. Printed in README and shown on the sign-in page in demo mode only.
import type { Role } from "@/db/schema";

export const DEMO_COMPANY_NAME = "Acme Payments";
export const DEMO_PASSWORD = "postura-demo-2026";
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: "admin@demo.postura.dev", name: "Ada Admin", role: "admin" },
  { email: "analyst@demo.postura.dev", name: "Alan Analyst", role: "analyst" },
  { email: "viewer@demo.postura.dev", name: "Vera Viewer", role: "viewer" },
];

/** The end-to-end tests' second company, connected to the simulator and synced (scripts/e2e-postgres-server.ts). */
export const SYNCED_COMPANY_NAME = "Globex";
export const SYNCED_USERS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: "admin@globex.postura.dev", name: "Greta Admin", role: "admin" },
  { email: "analyst@globex.postura.dev", name: "Gus Analyst", role: "analyst" },
];
