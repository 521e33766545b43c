/**
 * Only same-origin relative paths may be redirect targets after sign-in; anything else (absolute
 * URLs, protocol-relative `//evil`, backslash tricks, control characters) falls back.
 */
export function safeRedirectPath(next: unknown, fallback = "/keys"): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 512) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  try {
    const url = new URL(next, "http://llavero.invalid");
    if (url.origin !== "http://llavero.invalid") return fallback;
    const path = url.pathname + url.search + url.hash;
    // Normalising can turn "/.//evil.example" into "//evil.example": check what we return.
    if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
