import type { Metadata } from "next";
import Link from "next/link";
import { CodeBlock } from "@/components/api-docs/code-block";
import { EndpointIndex, ReferenceTables, type ErrorRow, type HeaderRow, type IndexRow } from "@/components/api-docs/overview-lists";
import { accessOf, type EndpointAccess } from "@/components/api-docs/endpoint-docs";
import { loadReference } from "@/components/api-docs/reference";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { COUNT_DEFINITIONS, COUNT_WORDS } from "@/lib/usage/definitions";
import { PUBLIC_ERRORS, type PublicErrorCode } from "@/lib/errors";
import { ERROR_WHEN, RESPONSE_HEADERS } from "@/lib/public-api/openapi";

export const metadata: Metadata = { title: "API" };

const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

/**
 * The API overview: authentication, every operation with its scope, metering and error codes
 * (explained once, in the error table below), errors and headers. Each operation's examples
 * and parameters are on its own page (/api-docs/{operationId}), Try it on /api-docs/try-it,
 * webhooks on /api-docs/webhooks: the reference on one page was ~780 KB of HTML (issue 13 item 11).
 */
function accessText(a: EndpointAccess): string {
  return a.kind === "none" ? "no key" : a.kind === "any" ? "any key" : `scope ${a.scope}`;
}

export default async function ApiDocsPage() {
  const { endpoints, base, key, placeholder } = await loadReference();

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
                The examples start with the prefix of your key <strong>{key.name}</strong>. Replace the placeholder with the full key: it was shown
                only once, when the key was created. Lost it? Rotate the key on the{" "}
              </>
            ) : (
              <>You have no API key yet. Create one on the </>
            )}
            <Link href="/keys" className={link}>
              API keys
            </Link>{" "}
            page{key ? "." : "; its full value is shown only once, when it is created."}
          </p>
          {/* The same words and definitions as every dashboard page (lib/usage/definitions.ts). */}
          <div data-testid="count-definitions">
            <h3 className="font-medium text-zinc-900 dark:text-zinc-100">How calls are counted</h3>
            <dl className="mt-1 space-y-1">
              {COUNT_WORDS.map((w) => (
                <div key={w}>
                  <dt className="inline font-medium">{COUNT_DEFINITIONS[w].label}: </dt>
                  <dd className="inline">{COUNT_DEFINITIONS[w].definition}</dd>
                </div>
              ))}
            </dl>
          </div>
        </CardBody>
      </Card>

      <EndpointIndex
        rows={endpoints.map((e): IndexRow => [
          e.id,
          e.method,
          e.path,
          e.summary,
          `· ${accessText(accessOf(e))} · ${e.metered ? "counts toward quota" : "not metered"}`,
          e.errors.map((err) => `${err.status} ${err.code}`).join(" · "),
        ])}
      />

      <ReferenceTables
        errors={(Object.keys(PUBLIC_ERRORS) as PublicErrorCode[]).map((code): ErrorRow => [PUBLIC_ERRORS[code], code, ERROR_WHEN[code]])}
        headers={RESPONSE_HEADERS.map((h): HeaderRow => [h.name, h.when, h.description])}
        errorBody={
          <CardBody>
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
        }
      />
    </div>
  );
}
