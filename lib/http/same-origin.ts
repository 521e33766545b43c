import "server-only";
import { AppError } from "@/lib/errors";
import { siteOrigin } from "@/lib/site-url";
import { isJsonContentType } from "./media-type";

/** Methods that change nothing: no proof of origin needed (they must stay side-effect free). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The one CSRF check for cookie-authenticated JSON routes (lib/http/dashboard-api.ts runs it before
 * the session is read). A state-changing request must come from the portal's own pages:
 * - `Sec-Fetch-Site`, when the browser sends it, must be `same-origin` (a sibling subdomain or
 *   another port on the same host is `same-site`, which still carries a SameSite=Lax cookie);
 * - otherwise `Origin` must equal the configured site origin (APP_URL, lib/site-url.ts), never the
 *   request's Host; a request with neither header is refused;
 * - and the body must be JSON (`application/json` or `+json`), which an HTML form cannot send.
 * Throws AppError `cross_site_request` (403). Not for the public API or webhooks: they carry no cookie.
 *
 * `opts.acceptForms`: for the two routes an HTML form posts to on purpose (Stripe Checkout and the
 * customer portal answer a 303 to Stripe, which a fetch cannot follow), the origin proof above is
 * still required but the body may be a form. OWASP's CSRF cheat sheet counts the Origin /
 * Sec-Fetch-Site check alone as a sufficient defence; JSON-only is the extra layer elsewhere.
 */
export function assertSameOriginRequest(method: string, headers: Headers, origin: string = siteOrigin(), opts: { acceptForms?: boolean } = {}): void {
  if (SAFE_METHODS.has(method.toUpperCase())) return;
  const fetchSite = headers.get("sec-fetch-site");
  const fromPortal = fetchSite !== null ? fetchSite.trim().toLowerCase() === "same-origin" : headers.get("origin") === origin;
  if (!fromPortal) {
    throw new AppError("cross_site_request", "This request did not come from the portal's own pages, so it was refused.");
  }
  if (!opts.acceptForms && !isJsonContentType(headers.get("content-type"))) {
    throw new AppError("cross_site_request", "Changes must be sent as application/json from the portal's own pages.");
  }
}
