import type { NextConfig } from "next";
// Importing the env module here makes a bad environment fail `next build` and `next start` with a clear message.
import "./server/env";
import { staticSecurityHeaders } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss", "postgres"],
  // Lets two builds (say, two e2e runs) sit side by side; `.next` by default.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [{ source: "/:path*", headers: [...staticSecurityHeaders] }];
  },
};

export default nextConfig;
