import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { CodeBlock } from "./code-block";
import { errorAnchor } from "./anchors";
import { accessOf, type EndpointAccess, type EndpointDoc } from "./endpoint-docs";
import { InlineCode } from "./inline-code";
import { MethodBadge } from "./method-badge";

const subheading = "text-sm font-semibold text-zinc-900 dark:text-zinc-100";

/**
 * One operation: what it needs, what it answers, what can go wrong, and how to call it. On its own
 * page (/api-docs/{operationId}) the operation's heading is the page's h1 and its parts are h2.
 */
export function EndpointSection({ endpoint: e }: { endpoint: EndpointDoc }) {
  const name = `${e.method} ${e.path}`;
  const headingId = `${e.id}-heading`;
  return (
    <section id={e.id} aria-labelledby={headingId} className="scroll-mt-6">
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
          <div className="min-w-0">
            <h1 id={headingId} className="flex flex-wrap items-center gap-2 text-lg font-semibold text-zinc-900 dark:text-zinc-100">
              <MethodBadge method={e.method} /> <code className="font-mono text-sm break-all">{e.path}</code>
            </h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{e.summary}</p>
          </div>
          <ul className="flex flex-wrap gap-2" aria-label={`About ${name}`}>
            <li>
              <AccessBadge access={accessOf(e)} />
            </li>
            <li>
              <Badge tone={e.metered ? "warning" : "neutral"}>{e.metered ? "Metered: counts toward the quota" : "Not metered: does not count toward the quota"}</Badge>
            </li>
          </ul>
        </div>
        <CardBody className="space-y-6">
          <p className="max-w-3xl text-sm text-zinc-700 dark:text-zinc-300">
            <InlineCode text={e.description} />
          </p>

          <div className="grid gap-6 lg:grid-cols-2">
            <div className="min-w-0 space-y-4">
              <h2 className={subheading}>Request</h2>
              {e.parameters.length > 0 ? (
                <Card className="shadow-none">
                  <Table caption={`Parameters of ${name}`} stackOnPhone>
                    <THead>
                      <TR>
                        <TH>Parameter</TH>
                        <TH>In</TH>
                        <TH>Description</TH>
                      </TR>
                    </THead>
                    <TBody>
                      {e.parameters.map((p) => (
                        <TR key={p.name}>
                          <TD label="Parameter" className="font-mono text-xs whitespace-nowrap">
                            {p.name}
                            {p.required ? <span className="ml-1 text-zinc-500">(required)</span> : null}
                          </TD>
                          <TD label="In" className="text-xs">{p.in}</TD>
                          <TD label="Description" className="text-xs">
                            <InlineCode text={p.description} />
                          </TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                </Card>
              ) : null}
              {e.requestExample ? (
                <CodeBlock title="Body (application/json)" label={`Request body example for ${name}`} code={e.requestExample} tall wrap />
              ) : e.parameters.length === 0 ? (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">No body or parameters.</p>
              ) : null}
              <CodeBlock title="curl" label={`curl example for ${name}`} code={e.curl} wrap />
            </div>

            <div className="min-w-0 space-y-4">
              <h2 className={subheading}>
                Response <span className="font-normal text-zinc-600 dark:text-zinc-400">· {e.successStatus}</span>
              </h2>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{e.successDescription}</p>
              {e.responseExample ? (
                <CodeBlock
                  title={e.responseExampleSummary ? `Example: ${e.responseExampleSummary}` : "Example"}
                  label={`Response example for ${name}`}
                  code={e.responseExample}
                  tall
                  wrap
                />
              ) : null}
            </div>
          </div>

          <div className="space-y-3">
            <h2 className={subheading}>Errors</h2>
            <Card className="shadow-none">
              {/* Stacked on a phone: as columns, "when" got about one word per line (issue 13 item 8). */}
              <Table caption={`Errors of ${name}`} stackOnPhone>
                <THead>
                  <TR>
                    <TH>Status</TH>
                    <TH>Code</TH>
                    <TH>When</TH>
                  </TR>
                </THead>
                <TBody>
                  {e.errors.map((err) => (
                    <TR key={err.code}>
                      <TD label="Status" className="font-mono text-xs">{err.status}</TD>
                      <TD label="Code" className="font-mono text-xs whitespace-nowrap">
                        <Link href={`/api-docs#${errorAnchor(err.code)}`} className="text-accent-700 underline-offset-2 hover:underline dark:text-accent-300">
                          {err.code}
                        </Link>
                      </TD>
                      <TD label="When" className="text-xs">{err.when}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </Card>
          </div>
        </CardBody>
      </Card>
    </section>
  );
}

function AccessBadge({ access }: { access: EndpointAccess }) {
  if (access.kind === "none") return <Badge tone="neutral">No key needed</Badge>;
  if (access.kind === "any") return <Badge tone="info">Any key, any scope</Badge>;
  return (
    <Badge tone="info">
      Scope: <code className="font-mono">{access.scope}</code>
    </Badge>
  );
}
