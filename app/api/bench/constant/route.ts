// GET /api/bench/constant: constant JSON with no database and no key check, so `npm run bench` can measure the framework's ceiling next to /api/public/ping.
export const dynamic = "force-dynamic";

const BODY = JSON.stringify({ ok: true });

export function GET(): Response {
  return new Response(BODY, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
}
