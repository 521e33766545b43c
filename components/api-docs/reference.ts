import "server-only";
import { headers } from "next/headers";
import { requireTeamContext } from "@/lib/auth/require";
import { requestIp } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { KEY_PREFIX } from "@/lib/keys/format";
import { listKeys } from "@/lib/keys/lifecycle";
import { openApiDocument } from "@/lib/public-api/endpoints";
import { endpointDocs } from "./endpoint-docs";

const USABLE = new Set(["active", "expiring", "rotating"]);

/** The origin the curl examples call: APP_URL when set, else the host this page was asked on. */
async function baseUrl(): Promise<string> {
  const configured = env().APP_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host);
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? (local ? "http" : "https");
  return `${proto}://${host}`;
}

/**
 * What every API page shows, for the signed-in viewer: the OpenAPI document, its operations ready
 * to render, the base URL, and the key placeholder the examples start with (the prefix of a usable
 * key of the viewer's own, else of the team's; the full key is never stored).
 * Throws (redirects) like requireTeamContext when signed out.
 */
export async function loadReference() {
  const { user, team } = await requireTeamContext();
  const [{ keys }, base] = await Promise.all([
    listKeys({ userId: user.id, teamId: team.id, ip: await requestIp() }, { includeRevoked: false }),
    baseUrl(),
  ]);
  const live = keys.filter((k) => k.status !== "revoked");
  const key = live.find((k) => k.created_by === user.id && USABLE.has(k.status)) ?? live.find((k) => USABLE.has(k.status)) ?? live[0];
  const placeholder = key ? `${key.prefix}…your key…` : `${KEY_PREFIX}…`;
  const doc = openApiDocument(base);
  const endpoints = endpointDocs(doc, { baseUrl: base, apiKey: placeholder });
  return { doc, endpoints, base, key: key ? { name: key.name } : null, placeholder };
}
