import Link from "next/link";
import { Card, CardBody } from "@/components/ui/card";
import type { OpenApiDocument } from "@/lib/public-api/openapi";
import { exampleMessage, WEBHOOK_ADDRESS_RULE, WEBHOOK_EVENT_DOCS, WEBHOOK_HEADERS, WEBHOOK_RESPONSE_RULES } from "@/lib/webhooks/event-docs";
import { CodeBlock } from "./code-block";
import { InlineCode } from "./inline-code";

const subheading = "text-sm font-semibold text-zinc-900 dark:text-zinc-100";
const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

const VERIFY_EXAMPLE = `import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.LLAVERO_WEBHOOK_SECRET); // whsec_…, shown once on the Webhooks page

// rawBody: the request body exactly as received (a string or Buffer), not re-serialised JSON.
export async function handle(rawBody, headers) {
  const event = wh.verify(rawBody, {
    "webhook-id": headers["webhook-id"],
    "webhook-timestamp": headers["webhook-timestamp"],
    "webhook-signature": headers["webhook-signature"],
  }); // throws when the signature or timestamp is wrong: answer 400
  if (await alreadyHandled(headers["webhook-id"])) return 200; // retries reuse the id
  await process(event.type, event.data);
  return 200; // any 2xx, quickly: do slow work after answering
}`;

/** The data fields of one event, from the document's component schema. */
function dataFields(doc: OpenApiDocument, type: string): Array<{ name: string; description: string }> {
  const op = doc.webhooks[type]?.post;
  const ref = (op?.requestBody.content["application/json"].schema.$ref as string | undefined)?.split("/").pop();
  const schema = ref ? (doc.components.schemas[ref] as { properties?: { data?: { properties?: Record<string, { description?: string }> } } }) : undefined;
  return Object.entries(schema?.properties?.data?.properties ?? {}).map(([name, p]) => ({ name, description: p.description ?? "" }));
}

/**
 * The API page's webhooks section, from the same sources as the OpenAPI document's `webhooks`
 * (lib/webhooks/event-docs.ts and the event schemas): envelope, headers, verification, delivery
 * rules, and one collapsed example per event.
 */
export function WebhooksSection({ doc }: { doc: OpenApiDocument }) {
  return (
    <section id="webhooks" aria-labelledby="webhooks-heading" className="scroll-mt-6">
      <Card>
        <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
          <h2 id="webhooks-heading" className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
            Webhooks
          </h2>
          <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
            Events we POST to your endpoints, signed per Standard Webhooks. Owners and admins add endpoints on the{" "}
            <Link href="/webhooks" className={link}>
              Webhooks
            </Link>{" "}
            page. Every body is JSON: <code className="font-mono">{"{type, timestamp, data}"}</code>. The OpenAPI document lists them under{" "}
            <code className="font-mono">webhooks</code>.
          </p>
        </div>
        <CardBody className="space-y-6 text-sm text-zinc-700 dark:text-zinc-300">
          <div className="space-y-2">
            <h3 className={subheading}>Headers</h3>
            <dl className="space-y-2">
              {WEBHOOK_HEADERS.map((h) => (
                <div key={h.name}>
                  <dt className="font-mono text-xs font-semibold">{h.name}</dt>
                  <dd className="max-w-3xl">
                    <InlineCode text={h.description} />
                  </dd>
                </div>
              ))}
            </dl>
          </div>

          <div className="space-y-2">
            <h3 className={subheading}>Verify and deduplicate</h3>
            <p className="max-w-3xl">
              Verify every message with a Standard Webhooks library (here <code className="font-mono">standardwebhooks</code> for Node) on the raw body, then
              skip any <code className="font-mono">webhook-id</code> you have already handled: a message can arrive more than once.
            </p>
            <CodeBlock title="Node.js" label="Webhook verification example" code={VERIFY_EXAMPLE} tall />
          </div>

          <div className="space-y-2">
            <h3 className={subheading}>How we read your answer</h3>
            <ul className="max-w-3xl list-disc space-y-1 pl-5">
              {Object.entries(WEBHOOK_RESPONSE_RULES).map(([k, text]) => (
                <li key={k}>{text}</li>
              ))}
            </ul>
            <p className="max-w-3xl text-zinc-600 dark:text-zinc-400">{WEBHOOK_ADDRESS_RULE}</p>
          </div>

          <div className="space-y-2">
            <h3 className={subheading}>Events</h3>
            <ul className="space-y-2">
              {WEBHOOK_EVENT_DOCS.map((d) => (
                <li key={d.type}>
                  <details className="rounded-lg border border-zinc-200 dark:border-zinc-800">
                    <summary className="cursor-pointer px-3 py-2">
                      <code className="font-mono text-xs font-semibold">{d.type}</code> <span className="text-zinc-600 dark:text-zinc-400">{d.summary}</span>
                    </summary>
                    <div className="space-y-3 border-t border-zinc-200 px-3 py-3 dark:border-zinc-800">
                      <p>
                        <InlineCode text={d.description} />
                      </p>
                      <ul className="space-y-1 text-xs">
                        {dataFields(doc, d.type).map((f) => (
                          <li key={f.name}>
                            <code className="font-mono font-semibold">data.{f.name}</code>: <InlineCode text={f.description} />
                          </li>
                        ))}
                      </ul>
                      <CodeBlock title="Body" label={`Example ${d.type} body`} code={JSON.stringify(exampleMessage(d), null, 2)} wrap />
                    </div>
                  </details>
                </li>
              ))}
            </ul>
          </div>
        </CardBody>
      </Card>
    </section>
  );
}
