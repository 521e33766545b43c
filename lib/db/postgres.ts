import pg from "pg";
import type { Database, Queryable } from "./types";

// int8 (counts, ids) fit comfortably in a JS number for this product's magnitudes; parsing them
// here keeps PGlite and node-postgres returning the same shapes.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * `prepared`: named statements save PostgreSQL the parse and plan of hot queries (about 0.06 ms
 * a call), but transaction-mode poolers (Supabase's port 6543, PgBouncer before 1.21) reject
 * them; DATABASE_PREPARED_STATEMENTS=false turns them off.
 */
export function openPostgres(connectionString: string, max = 10, prepared = true): Database {
  const pool = new pg.Pool({ connectionString, max, application_name: "llavero" });
  // An idle client's error (server restart) must not crash the process.
  pool.on("error", () => {});
  const wrap = (client: pg.PoolClient): Queryable => ({
    async query<T>(text: string, params?: unknown[]) {
      const r = await client.query(text, params as unknown[]);
      return { rows: r.rows as T[] };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });
  return {
    kind: "postgres",
    async query<T>(text: string, params?: unknown[], name?: string) {
      const r = name && prepared ? await pool.query({ name, text, values: params as unknown[] }) : await pool.query(text, params as unknown[]);
      return { rows: r.rows as T[] };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const out = await fn(wrap(client));
        await client.query("commit");
        return out;
      } catch (err) {
        await client.query("rollback").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
