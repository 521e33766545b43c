/**
 * The pages' Content-Security-Policy. Scripts run only with this response's nonce (Next.js puts
 * it on its own inline and bundle scripts when it finds it in the request's CSP header), and
 * 'strict-dynamic' lets those load the chunks they import. Styles allow 'unsafe-inline':
 * React and the charts write `style` attributes, which nonces cannot cover; an injected style
 * can restyle a page but not run code, and nothing here reads secrets from CSS.
 */
export interface CspOptions {
  /** Base64, at least 128 random bits, new for every response. */
  nonce: string;
  /** Development: React's debugging needs eval, and hot reload a websocket. */
  dev: boolean;
  /** Supabase mode: the browser talks to the project's Auth endpoint. */
  supabaseUrl?: string;
  /** Behind HTTPS: ask the browser to upgrade any http:// subresource. */
  https?: boolean;
  /**
   * Origins a form on our pages may end up at (Chromium checks form-action on the redirects
   * that follow a form POST): Stripe's Checkout and portal when billing is on. See
   * `stripeRedirectOrigins` in lib/billing/redirect-origins.ts.
   */
  formActionOrigins?: readonly string[];
}

export function pageCsp({ nonce, dev, supabaseUrl, https, formActionOrigins = [] }: CspOptions): string {
  const connect = ["'self'"];
  if (supabaseUrl) connect.push(new URL(supabaseUrl).origin);
  if (dev) connect.push("ws:", "wss:");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    "manifest-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...formActionOrigins].join(" "),
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** 128 random bits, base64: a fresh nonce for one response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
