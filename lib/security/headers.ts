/**
 * Headers every response carries, pages and API alike, set once in next.config.ts so the public
 * API's hot path pays no proxy for them. The pages' nonce-based CSP comes from proxy.ts; API
 * answers (JSON, CSV) get a CSP that allows nothing, so a response opened as a document can
 * neither run nor frame anything.
 */
export interface HeaderRule {
  source: string;
  has?: { type: "header"; key: string; value?: string }[];
  headers: { key: string; value: string }[];
}

export const PERMISSIONS_POLICY =
  "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()";

export const HSTS = "max-age=31536000; includeSubDomains";

export function securityHeaderRules(): HeaderRule[] {
  return [
    {
      source: "/:path*",
      headers: [
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "X-Frame-Options", value: "DENY" },
        // Cross-origin requests see the origin only: never a path, so never an invitation token.
        { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
      ],
    },
    {
      // Invitation pages carry their token in the URL: no Referer leaves for any other origin,
      // not even the bare origin. Not `no-referrer`: under it browsers send `Origin: null` on
      // the page's own POSTs (Fetch spec), which breaks the accept button's server action and
      // any Origin-based CSRF check.
      source: "/invite/:path*",
      headers: [{ key: "Referrer-Policy", value: "same-origin" }],
    },
    {
      source: "/api/:path*",
      headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }],
    },
    // Session-authenticated JSON: never kept by a browser or a shared cache. Routes that set
    // their own Cache-Control keep it.
    ...["/api/keys", "/api/keys/:path*", "/api/audit-log", "/api/audit-log/:path*", "/api/usage", "/api/usage/:path*"].map((source) => ({
      source,
      headers: [{ key: "Cache-Control", value: "private, no-store" }],
    })),
    {
      // Only when the request reached us over HTTPS (our reverse proxy says so); browsers ignore
      // HSTS over plain HTTP anyway, and sending it on localhost would pin developers' machines.
      source: "/:path*",
      has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
      headers: [{ key: "Strict-Transport-Security", value: HSTS }],
    },
  ];
}
