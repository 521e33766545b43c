import { mulberry32 } from "@/lib/prng";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export interface CopyTrafficOptions {
  teamId: string;
  keyIds: string[];
  days: number;
  calls: number;
  /** Any integer: the same seed gives the same traffic. */
  seed?: number;
  /** Stop writing after this long (ms); the rows written so far are committed. Default: no box. */
  timeBoxMs?: number;
  /** Called about every 100,000 rows with the rows written so far. */
  onProgress?: (done: number) => void;
}

export interface CopyTrafficResult {
  written: number;
  ms: number;
  /** True when the time box stopped it before `calls` rows. */
  stopped: boolean;
}


const COLUMNS = "team_id, key_id, created_at, request_id, endpoint, method, admitted, metered, status, error_code, latency_ms, ip, user_agent, summary";
const CHUNK = 5_000;
const DAY_S = 86_400;

/**
 * Streams `calls` generated call-log rows into public.api_calls with one COPY FROM STDIN on a
 * PostgreSQL connection (`connectionString`), the same shape of traffic as seedTraffic (more on
 * recent days, half on weekends, busier keys, mostly validate, a few percent refusals), in
 * constant memory: rows are produced in chunks as the server takes them. Creates the day
 * partitions the rows need first (public.ensure_api_call_partitions), so none lands in the
 * default partition. Does not touch counters: call recountTraffic afterwards.
 */
export async function copyTraffic(connectionString: string, o: CopyTrafficOptions): Promise<CopyTrafficResult> {
  const client = new pg.Client({ connectionString, application_name: "llavero-seed" });
  await client.connect();
  const started = performance.now();
  let written = 0;
  let stopped = false;
  try {
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() + offset * DAY_S * 1000).toISOString().slice(0, 10);
    await client.query("select public.ensure_api_call_partitions($1::date, $2::date)", [day(-Math.ceil(o.days) - 3), day(7)]);
    const rand = mulberry32(o.seed ?? 42);
    const nowS = Date.now() / 1000;
    const runTag = Date.now().toString(36);
    const keys = o.keyIds;
    let nextProgress = 100_000;
    function* chunks(): Generator<string> {
      while (written < o.calls) {
        if (o.timeBoxMs !== undefined && performance.now() - started > o.timeBoxMs) {
          stopped = true;
          return;
        }
        const n = Math.min(CHUNK, o.calls - written);
        let out = "";
        for (let i = 0; i < n; i++) {
          // Stratified over the span, oldest first: the rows arrive nearly in time order, so only
          // the few latest day partitions and the right edge of each index are written at a
          // time (random order across 90 partitions was 5-10x slower). Same distribution.
          const rDay = 1 - (written + i + rand()) / o.calls;
          const rWeekend = rand(), rKey = rand(), rEndpoint = rand(), rStatus = rand(), rMisc = rand();
          let at = Math.floor(nowS - 60 - Math.pow(rDay, 1.6) * o.days * DAY_S);
          const dow = new Date(at * 1000).getUTCDay();
          if ((dow === 0 || dow === 6) && rWeekend < 0.5) at -= 2 * DAY_S;
          const endpoint = rEndpoint < 0.6 ? "/api/public/validate" : rEndpoint < 0.85 ? "/api/public/ping" : "/api/public/audit";
          const status = rStatus < 0.92 ? 200 : rStatus < 0.95 ? 400 : rStatus < 0.98 ? 429 : rStatus < 0.99 ? 401 : 403;
          const admitted = status === 200 || status === 400;
          const code = status === 400 ? "invalid_request" : status === 429 ? "rate_limited" : status === 401 ? "key_expired" : status === 403 ? "insufficient_scope" : "\\N";
          const summary =
            status !== 200
              ? "\\N"
              : endpoint === "/api/public/validate"
                ? `{"rfc": "GODE561231GR8", "valid": ${rMisc < 0.8}}`
                : endpoint === "/api/public/audit"
                  ? `{"score": ${30 + Math.round(rMisc * 60)}, "business_id": "place-${Math.round(rMisc * 40)}"}`
                  : "\\N";
          out +=
            `${o.teamId}\t${keys[Math.floor(rKey * rKey * keys.length)]}\t${new Date(at * 1000).toISOString()}\tseed-${runTag}-${written + i}\t` +
            `${endpoint}\t${endpoint === "/api/public/validate" ? "POST" : "GET"}\t${admitted ? "t" : "f"}\t${admitted && endpoint !== "/api/public/ping" ? "t" : "f"}\t` +
            `${status}\t${code}\t${4 + Math.round(rMisc * 60)}\t203.0.113.${1 + Math.round(rMisc * 250)}\tseed/1.0\t${summary}\n`;
        }
        written += n;
        if (written >= nextProgress) {
          o.onProgress?.(written);
          nextProgress += 100_000;
        }
        yield out;
      }
    }
    const sink = client.query(copyFrom(`copy public.api_calls (${COLUMNS}) from stdin`));
    await pipeline(Readable.from(chunks()), sink);
    o.onProgress?.(written);
  } finally {
    await client.end();
  }
  return { written, ms: performance.now() - started, stopped };
}
