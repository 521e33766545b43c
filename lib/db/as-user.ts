import "server-only";
import { getDb } from "./index";
import { runAsUser } from "./run-as-user";
import type { Queryable } from "./types";

/** Runs `fn` as the signed-in user on the app's database (see runAsUser). */
export async function asUser<T>(userId: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return runAsUser(await getDb(), userId, fn);
}
