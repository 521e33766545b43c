import { AsyncLocalStorage } from "node:async_hooks";

/**
 * A stand-in for `next/headers` so route handlers and server actions can be called in-process
 * with a real request's headers and cookies (the built-in session cookie included). Test files
 * install it with `vi.mock("next/headers", () => import("../next-request-scope"))` and call
 * handlers through `inRequestScope`. Cookies set by the code under test are kept per scope.
 */
interface Scope {
  headers: Headers;
  cookies: Map<string, string>;
}

const scopes = new AsyncLocalStorage<Scope>();

function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

/** Runs `fn` as if Next were serving `headers` (the Request's headers). */
export function inRequestScope<T>(headers: Headers, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ headers, cookies: parseCookies(headers.get("cookie")) }, fn);
}

function current(): Scope {
  const s = scopes.getStore();
  if (!s) throw new Error("next/headers used outside inRequestScope()");
  return s;
}

export async function headers(): Promise<Headers> {
  return current().headers;
}

export async function cookies() {
  const s = current();
  return {
    get: (name: string) => (s.cookies.has(name) ? { name, value: s.cookies.get(name)! } : undefined),
    getAll: () => [...s.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => s.cookies.has(name),
    set: (name: string, value: string) => void s.cookies.set(name, value),
    delete: (name: string) => void s.cookies.delete(name),
  };
}

export async function draftMode() {
  return { isEnabled: false };
}
