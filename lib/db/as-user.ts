import "server-only";
import { getDb } from "./index";
import type { Queryable } from "./types";

/**
 * Runs `fn` in a transaction as the signed-in user, exactly as Supabase's PostgREST does:
 * `role authenticated` plus the JWT claims, so row-level security decides what is visible.
 */
export async function asUser<T>(userId: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.query("select set_config('request.jwt.claims', $1, true)", [
      JSON.stringify({ sub: userId, role: "authenticated" }),
    ]);
    await tx.exec("set local role authenticated");
    return fn(tx);
  });
}
