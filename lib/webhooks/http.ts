import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import type { Database } from "@/lib/db/types";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { DashboardRequestContext } from "@/lib/http/dashboard-api";
import type { UrlPolicy, WebhookActor } from "./endpoints";

/** What the dashboard's webhook routes share: the actor, the database, and the URL policy. */
export async function webhookContext(ctx: DashboardRequestContext): Promise<{ db: Database; actor: WebhookActor; policy: UrlPolicy }> {
  return { db: await getDb(), actor: { userId: ctx.user.id, teamId: ctx.team.id }, policy: { allowPrivate: env().WEBHOOKS_ALLOW_PRIVATE, development: env().NODE_ENV !== "production" } };
}

/** A malformed id names no endpoint: the same 404 as an endpoint of another team. */
export function endpointIdOf(params: { endpointId: string }): string {
  const parsed = z.uuid().safeParse(params.endpointId);
  if (!parsed.success) throw new AppError("not_found", "That endpoint does not exist or is not yours to manage.");
  return parsed.data;
}

export function deliveryIdOf(params: { deliveryId: string }): number {
  const parsed = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(params.deliveryId);
  if (!parsed.success) throw new AppError("not_found", "That delivery does not exist.");
  return parsed.data;
}
