import type { Database, Queryable } from "./types";

/**
 * Runs `fn` in a transaction on `db` as `userId`, exactly as Supabase's PostgREST does: the JWT
 * claims plus `role authenticated`, so row-level security decides what is visible. The app's
 * `asUser` calls this on its own database; tests and seed scripts call it on theirs.
 */
export async function runAsUser<T>(db: Database, userId: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: userId, role: "authenticated" })]);
    await tx.exec("set local role authenticated");
    return fn(tx);
  });
}
