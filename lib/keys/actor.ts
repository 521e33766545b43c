import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { DashboardRequestContext } from "@/lib/http/dashboard-api";
import type { Actor } from "./lifecycle";

export function actorOf(ctx: DashboardRequestContext): Actor {
  return { userId: ctx.user.id, teamId: ctx.team.id, ip: ctx.ip };
}

/** A malformed id names no key: the same 404 as a key that is not yours. */
export function keyIdOf(params: { keyId: string }): string {
  const parsed = z.uuid().safeParse(params.keyId);
  if (!parsed.success) throw new AppError("not_found", "That key does not exist or is not yours to manage.");
  return parsed.data;
}
