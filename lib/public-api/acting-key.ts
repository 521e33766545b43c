import "server-only";
import { z } from "zod";
import { becomeUser } from "@/lib/db/run-as-user";
import { AppError, toAppError } from "@/lib/errors";
import { keyIdOf } from "@/lib/keys/actor";
import type { Actor } from "@/lib/keys/lifecycle";
import type { KeyedContext } from "./endpoint";

/**
 * The key-management API acts as the calling key's creator, so row-level security and the
 * rules of lib/keys decide exactly as they do for that person in the dashboard; the key itself
 * is recorded as the actor on activity rows. In an idempotent call the transaction (ctx.tx)
 * becomes the creator here, so the change and its stored answer commit together.
 */
export async function actorOfKey(ctx: Pick<KeyedContext<unknown, unknown, unknown>, "call" | "db" | "tx" | "ip">): Promise<Actor> {
  const { call } = ctx;
  // As the database owner: the creator is who we are about to become.
  const { rows } = await (ctx.tx ?? ctx.db).query<{ created_by: string }>("select created_by from public.api_keys where id = $1", [call.key_id]);
  const userId = rows[0]?.created_by;
  if (!userId) throw new AppError("internal_error", "The calling key has no creator.");
  if (ctx.tx) await becomeUser(ctx.tx, userId);
  return {
    userId,
    teamId: call.team_id,
    ip: ctx.ip,
    key: { id: call.key_id, prefix: call.key_prefix, last4: call.key_last4, scopes: call.key_scopes },
    ...(ctx.tx ? { tx: ctx.tx } : {}),
  };
}

/** Runs a lib/keys call as the key's creator; database refusals (RLS, triggers) become their AppError. */
export async function asKey<T>(ctx: Pick<KeyedContext<unknown, unknown, unknown>, "call" | "db" | "tx" | "ip">, run: (actor: Actor) => Promise<T>): Promise<T> {
  try {
    return await run(await actorOfKey(ctx));
  } catch (err) {
    throw toAppError(err) ?? err;
  }
}

/** The path's key id; anything but a UUID names no key (keyIdOf: the same 404 as another team's key). */
export const keyIdParams = z.object({ key_id: z.string() });
export const keyIdIn = (params: { key_id: string }): string => keyIdOf({ keyId: params.key_id });
