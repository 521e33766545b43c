import type { NextConfig } from "next";
import { securityHeaderRules } from "./lib/security/headers";

const nextConfig: NextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  poweredByHeader: false,
  async headers() {
    return securityHeaderRules();
  },
};

export default nextConfig;
