// GET /api/bench/constant: constant JSON with no database and no key check, so `npm run bench` can
// measure the framework's ceiling next to /api/public/ping. Only when the bench asks for it
// (LLAVERO_BENCH_ROUTES=true); otherwise a plain 404, as if the route did not exist.
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

const BODY = JSON.stringify({ ok: true });

export function GET(): Response {
  if (!env().LLAVERO_BENCH_ROUTES) return new Response(null, { status: 404 });
  return new Response(BODY, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
}
