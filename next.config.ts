import type { NextConfig } from "next";
import { securityHeaderRules } from "./lib/security/headers";
import { siteOrigin } from "./lib/site-url";

const nextConfig: NextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  experimental: {
    // Next refuses a server action whose Origin differs from the request's Host unless the origin
    // is listed here. Only the configured site (APP_URL) is: another port or a sibling subdomain
    // of the same site, which a SameSite=Lax cookie still reaches, is refused.
    serverActions: { allowedOrigins: [new URL(siteOrigin()).host] },
  },
  async headers() {
    return securityHeaderRules();
  },
};

export default nextConfig;
