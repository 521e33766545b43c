"use client";

// A client component on purpose, though nothing here is interactive: a server component's markup
// is sent twice (as HTML and again in the RSC payload that hydrates it), a client component's
// only as HTML plus its props. These lists are most of /api-docs, and their props are plain
// text, so the page stays under its 60 KB budget (issue 13 item 11).
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { errorAnchor } from "./anchors";

/** [operationId, method, path, summary, "scope · metering", "status code · status code …"] */
export type IndexRow = [id: string, method: string, path: string, summary: string, meta: string, errors: string];
/** [status, code, when] */
export type ErrorRow = [status: number, code: string, when: string];
/** [name, on, meaning] */
export type HeaderRow = [name: string, on: string, meaning: string];

function SectionHead({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <div className="border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
      <h2 id={id} className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
        {title}
      </h2>
      <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{children}</p>
    </div>
  );
}

/** Every operation, linking to its own page, with its scope, metering and error codes. */
export function EndpointIndex({ rows }: { rows: IndexRow[] }) {
  return (
    <section aria-labelledby="endpoints-heading" className="api-ref">
      <Card>
        <SectionHead id="endpoints-heading" title="Endpoints">
          Open an endpoint for its parameters, examples and curl command. What each error code means is in the <a href="#errors">error table</a>.
        </SectionHead>
        <ul className="api-index">
          {rows.map(([id, method, path, summary, meta, errors]) => (
            <li key={id} id={id}>
              <p>
                <span className="api-m" data-m={method}>
                  {method}
                </span>
                <Link href={`/api-docs/${id}`}>
                  <code>{path}</code>
                </Link>
                {` ${summary} `}
                <small>{meta}</small>
              </p>
              <p className="api-codes">{`Errors: ${errors}`}</p>
            </li>
          ))}
          <li>
            <Link href="/api-docs/try-it">Try it in the browser</Link>
          </li>
          <li>
            <Link href="/api-docs/webhooks">Webhooks: events, signatures, retries</Link>
          </li>
        </ul>
      </Card>
    </section>
  );
}

/** The one error table (each row is the target of /api-docs#error-{code}) and the response headers. */
export function ReferenceTables({ errors, headers, errorBody }: { errors: ErrorRow[]; headers: HeaderRow[]; errorBody: React.ReactNode }) {
  return (
    <>
      <section id="errors" aria-labelledby="errors-heading" className="api-ref scroll-mt-6">
        <Card>
          <SectionHead id="errors-heading" title="Errors">
            Every error, from every endpoint, has this body and no other.
          </SectionHead>
          {errorBody}
          <Table caption="Error codes" className="api-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Code</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {errors.map(([status, code, when]) => (
                <tr key={code} id={errorAnchor(code)}>
                  <td>{status}</td>
                  <td>
                    <code>{code}</code>
                  </td>
                  <td>{when}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </section>

      <section aria-labelledby="headers-heading" className="api-ref">
        <Card>
          <SectionHead id="headers-heading" title="Headers">
            Response headers to read. A call refused before its key is recognised carries only X-Request-Id.
          </SectionHead>
          <Table caption="Response headers" className="api-table">
            <thead>
              <tr>
                <th scope="col">Header</th>
                <th scope="col">On</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {headers.map(([name, on, meaning]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td>{on}</td>
                  <td>{meaning}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </section>
    </>
  );
}
