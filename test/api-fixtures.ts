import type { Database } from "@/lib/db/types";
import { setDbForTesting } from "@/lib/db";
import { createKey, type Actor } from "@/lib/keys/lifecycle";
import type { CreateKeyInput } from "@/lib/keys/key-input.schema";
import { createTeamAs, createUser } from "./fixtures";

export interface TeamFixture {
  ownerId: string;
  teamId: string;
  actor: Actor;
}

let counter = 0;

/** A user with a profile and a team of their own, made the way sign-up makes them. */
export async function makeTeam(db: Database, plan: "free" | "pro" | "business" = "free"): Promise<TeamFixture> {
  setDbForTesting(db);
  const ownerId = await createUser(db, `user${Date.now()}${counter++}@example.com`);
  const teamId = await createTeamAs(db, ownerId, "Test team");
  await db.query("update public.teams set plan = $2 where id = $1", [teamId, plan]);
  return { ownerId, teamId, actor: { userId: ownerId, teamId, ip: "127.0.0.1" } };
}

export async function makeKey(t: TeamFixture, input: Partial<CreateKeyInput> = {}) {
  return createKey(t.actor, { name: "Test key", scopes: ["ping", "validate", "audit:read", "audit:write"], ip_allowlist: [], ...input });
}

export function apiRequest(
  path: string,
  opts: { method?: string; key?: string | null; body?: unknown; rawBody?: string; contentType?: string | null; ip?: string; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers({ "x-llavero-socket-ip": opts.ip ?? "127.0.0.1", "user-agent": "vitest", ...opts.headers });
  if (opts.key) headers.set("x-api-key", opts.key);
  const hasBody = opts.body !== undefined || opts.rawBody !== undefined;
  if (hasBody && opts.contentType !== null) headers.set("content-type", opts.contentType ?? "application/json");
  return new Request(`http://localhost${path}`, {
    method: opts.method ?? (hasBody ? "POST" : "GET"),
    headers,
    body: hasBody ? (opts.rawBody ?? JSON.stringify(opts.body)) : undefined,
  });
}

export async function readJson(res: Response): Promise<Record<string, unknown> & { error?: { code: string; message: string; request_id: string; details?: unknown[] } }> {
  return (await res.json()) as never;
}
