import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { CodeBlock } from "@/components/api-docs/code-block";
import { endpointDocs } from "@/components/api-docs/endpoint-docs";
import { EndpointSection } from "@/components/api-docs/endpoint-section";
import { MethodBadge } from "@/components/api-docs/method-badge";
import { TryIt } from "@/components/api-docs/try-it";
import { WebhooksSection } from "@/components/api-docs/webhooks-section";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requireTeamContext } from "@/lib/auth/require";
import { requestIp } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { KEY_PREFIX } from "@/lib/keys/format";
import { listKeys } from "@/lib/keys/lifecycle";
import { PUBLIC_ERRORS, type PublicErrorCode } from "@/lib/errors";
import { openApiDocument } from "@/lib/public-api/endpoints";
import { ERROR_WHEN, RESPONSE_HEADERS } from "@/lib/public-api/openapi";

export const metadata: Metadata = { title: "API" };

const USABLE = new Set(["active", "expiring", "rotating"]);
const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

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

export default async function ApiDocsPage() {
  const { user, team } = await requireTeamContext();
  const [{ keys }, base] = await Promise.all([
    listKeys({ userId: user.id, teamId: team.id, ip: await requestIp() }, { includeRevoked: false }),
    baseUrl(),
  ]);
  // A placeholder only: the full key is never stored. Prefer a usable key of the viewer's own.
  const live = keys.filter((k) => k.status !== "revoked");
  const key = live.find((k) => k.created_by === user.id && USABLE.has(k.status)) ?? live.find((k) => USABLE.has(k.status)) ?? live[0];
  const placeholder = key ? `${key.prefix}…your key…` : `${KEY_PREFIX}…`;

  const doc = openApiDocument(base);
  const endpoints = endpointDocs(doc, { baseUrl: base, apiKey: placeholder });
  const tryIt = endpoints.flatMap((e) => (e.tryIt ? [e.tryIt] : []));
  // Keyed endpoints the box cannot send (a path id and a body together): named, not silently left out.
  const notInTryIt = endpoints.filter((e) => e.keyed && !e.tryIt).map((e) => `${e.method} ${e.path}`);

  return (
    <div className="space-y-8">
      <PageHeader
        title="API"
        description="Reference for the public API your keys call: endpoints, examples, errors and headers."
        actions={
          <a href="/api/public/openapi.json" className={buttonClasses("secondary", "sm")}>
            OpenAPI document
          </a>
        }
      />

      <Card>
        <CardHeader title="Authentication" description="JSON in, JSON out, UTF-8. Field names are snake_case; times are ISO 8601 in UTC." />
        <CardBody className="space-y-4 text-sm text-zinc-700 dark:text-zinc-300">
          <p>
            Send your key in the <code className="font-mono">X-API-Key</code> header (or as <code className="font-mono">Authorization: Bearer …</code>).
            Base URL: <code className="font-mono break-all">{base}</code>
          </p>
          <CodeBlock title="Header" label="Authentication header example" code={`X-API-Key: ${placeholder}`} />
          <p data-testid="key-note">
            {key ? (
              <>
                The examples below start with the prefix of your key <strong>{key.name}</strong>. Replace the placeholder with the full key: it was
                shown only once, when the key was created. Lost it? Rotate the key on the{" "}
              </>
            ) : (
              <>You have no API key yet. Create one on the </>
            )}
            <Link href="/keys" className={link}>
              API keys
            </Link>{" "}
            page{key ? "." : "; its full value is shown only once, when it is created."}
          </p>
        </CardBody>
      </Card>

      <nav aria-label="Endpoints" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">Endpoints</h2>
        <ul className="mt-3 grid grid-cols-1 gap-2 sm:grid-cols-2">
          {endpoints.map((e) => (
            <li key={e.id}>
              <a href={`#${e.id}`} className="flex min-w-0 items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800">
                <MethodBadge method={e.method} />
                <code className="font-mono text-xs text-zinc-800 dark:text-zinc-200">{e.path}</code>
                <span className="truncate text-zinc-500 dark:text-zinc-400">{e.summary}</span>
              </a>
            </li>
          ))}
          <li>
            <a href="#try-it" className={`${link} block px-2 py-1 text-sm`}>
              Try it in the browser
            </a>
          </li>
          <li>
            <a href="#webhooks" className={`${link} block px-2 py-1 text-sm`}>
              Webhooks: events, signatures, retries
            </a>
          </li>
        </ul>
      </nav>

      <div className="space-y-6">
        {endpoints.map((e) => (
          <EndpointSection key={e.id} endpoint={e} />
        ))}
      </div>

      <section id="try-it" aria-labelledby="try-it-heading" className="scroll-mt-6">
        <Card>
          <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
            <h2 id="try-it-heading" className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
              Try it
            </h2>
            <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
              Real requests from your browser to this deployment. They count like any other call: metered endpoints use your team&apos;s quota.
            </p>
          </div>
          <CardBody>
            <TryIt endpoints={tryIt} notHere={notInTryIt} />
          </CardBody>
        </Card>
      </section>

      <WebhooksSection doc={doc} />

      <section aria-labelledby="errors-heading">
        <Card>
          <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
            <h2 id="errors-heading" className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
              Errors
            </h2>
            <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">Every error, from every endpoint, has this body and no other.</p>
          </div>
          <CardBody className="space-y-4">
            <CodeBlock
              title="Error body"
              label="Error body example"
              code={JSON.stringify(
                { error: { code: "rate_limited", message: "Too many requests for this key. Retry in 12 s.", request_id: "5f0c2a9e-8d1b-4f7a-9c3e-2b6d1a4e8f70" } },
                null,
                2,
              )}
            />
          </CardBody>
          <Table caption="Error codes">
            <THead>
              <TR>
                <TH>Status</TH>
                <TH>Code</TH>
                <TH>When</TH>
              </TR>
            </THead>
            <TBody>
              {(Object.keys(PUBLIC_ERRORS) as PublicErrorCode[]).map((code) => (
                <TR key={code}>
                  <TD className="font-mono text-xs">{PUBLIC_ERRORS[code]}</TD>
                  <TD className="font-mono text-xs whitespace-nowrap">{code}</TD>
                  <TD>{ERROR_WHEN[code]}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      </section>

      <section aria-labelledby="headers-heading">
        <Card>
          <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
            <h2 id="headers-heading" className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
              Headers
            </h2>
            <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">Response headers to read. A call refused before its key is recognised carries only X-Request-Id.</p>
          </div>
          <Table caption="Response headers">
            <THead>
              <TR>
                <TH>Header</TH>
                <TH>On</TH>
                <TH>Meaning</TH>
              </TR>
            </THead>
            <TBody>
              {RESPONSE_HEADERS.map((h) => (
                <TR key={h.name}>
                  <TD className="font-mono text-xs whitespace-nowrap">{h.name}</TD>
                  <TD className="whitespace-nowrap">{h.when}</TD>
                  <TD>{h.description}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      </section>
    </div>
  );
}
