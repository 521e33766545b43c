import type { Database, Queryable } from "./types";

/**
 * Makes the rest of transaction `tx` run as `userId`, exactly as Supabase's PostgREST does: the
 * JWT claims plus `role authenticated`, so row-level security decides what is visible. Both are
 * transaction-local (`reset role` goes back to the connection's own role).
 */
export async function becomeUser(tx: Queryable, userId: string): Promise<void> {
  await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: userId, role: "authenticated" })]);
  await tx.exec("set local role authenticated");
}

/**
 * Runs `fn` in a transaction on `db` as `userId` (see becomeUser). The app's `asUser` calls this
 * on its own database; tests and seed scripts call it on theirs.
 */
export async function runAsUser<T>(db: Database, userId: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await becomeUser(tx, userId);
    return fn(tx);
  });
}
