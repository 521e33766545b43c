import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { COUNT_DEFINITIONS as D } from "@/lib/usage/definitions";
import type { UsageSummary } from "@/lib/usage/usage.schema";
import { errorRate, formatCount, keyTotals } from "./usage-format";

const muted = "text-zinc-500 dark:text-zinc-400";
const link = "font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

function NoRows({ children }: { children: string }) {
  return <p className={`px-6 py-8 text-center text-sm ${muted}`}>{children}</p>;
}

export function EndpointsTable({ endpoints, days }: { endpoints: UsageSummary["endpoints"]; days: number }) {
  return (
    <Card>
      <CardHeader title="Top endpoints" description={`Last ${days} days`} headingLevel={2} />
      {endpoints.length === 0 ? (
        <NoRows>No calls in this range.</NoRows>
      ) : (
        <Table caption={`Top endpoints, last ${days} days`} className="[&_td]:px-3 [&_th]:px-3">
          <THead>
            <TR>
              <TH>Endpoint</TH>
              <TH className="text-right">{D.attempts.label}</TH>
              <TH className="text-right">Errors</TH>
              <TH className="text-right">Error rate</TH>
            </TR>
          </THead>
          <TBody>
            {endpoints.map((e) => (
              <TR key={e.endpoint}>
                {/* Phones: one line, the table scrolls; wide screens wrap only when they must, never "/ap i/publi c". */}
                <TD className="font-mono text-xs whitespace-nowrap text-zinc-900 sm:whitespace-normal sm:[overflow-wrap:anywhere] dark:text-zinc-100">
                  {e.endpoint}
                </TD>
                <TD className="text-right tabular-nums">{formatCount(e.calls)}</TD>
                <TD className="text-right tabular-nums">{formatCount(e.errors)}</TD>
                <TD className="text-right tabular-nums">{errorRate(e.errors, e.calls)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

export function ErrorCodesTable({ codes, days }: { codes: UsageSummary["error_codes"]; days: number }) {
  return (
    <Card>
      <CardHeader title="Error codes" description={`Last ${days} days`} headingLevel={2} />
      {codes.length === 0 ? (
        <NoRows>No errors in this range.</NoRows>
      ) : (
        <Table caption={`Error codes, last ${days} days`}>
          <THead>
            <TR>
              <TH>Code</TH>
              <TH className="text-right">{D.attempts.label}</TH>
            </TR>
          </THead>
          <TBody>
            {codes.map((c) => (
              <TR key={c.error_code}>
                <TD>
                  <code className="font-mono text-xs text-zinc-900 dark:text-zinc-100">{c.error_code}</code>
                </TD>
                <TD className="text-right tabular-nums">{formatCount(c.calls)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

/** Calls per key in the range, each linking to the key's own page (history and export). */
export function KeysTable({ summary }: { summary: Pick<UsageSummary, "daily" | "keys" | "range_days"> }) {
  const rows = keyTotals(summary);
  const days = summary.range_days;
  return (
    <Card>
      <CardHeader
        title="Calls by key"
        description={`Last ${days} days. ${D.attempts.label}: ${D.attempts.definition} ${D.admitted.label}: ${D.admitted.definition} Open a key for its call history and a CSV export.`}
        headingLevel={2}
      />
      {rows.length === 0 ? (
        <NoRows>No calls in this range.</NoRows>
      ) : (
        <Table caption={`Calls by key, last ${days} days`}>
          <THead>
            <TR>
              <TH>Key</TH>
              <TH className="text-right">{D.attempts.label}</TH>
              <TH className="text-right">{D.admitted.label}</TH>
              <TH className="text-right">{D.refused.label}</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((k) => (
              <TR key={k.id}>
                <TD>
                  <Link href={`/keys/${encodeURIComponent(k.id)}`} className={link}>
                    {k.name}
                  </Link>
                  {k.previous ? <span className={`ml-2 text-xs ${muted}`}>previous</span> : null}
                  {/* Phones: the prefix on its own line, so the count columns fit beside the name. */}
                  <code className={`ml-2 font-mono text-xs whitespace-nowrap max-sm:ml-0 max-sm:block ${muted}`}>
                    {k.prefix}…{k.last4}
                  </code>
                </TD>
                <TD className="text-right tabular-nums">{formatCount(k.attempts)}</TD>
                <TD className="text-right tabular-nums" data-testid={`usage-key-admitted-${k.id}`}>
                  {formatCount(k.admitted)}
                </TD>
                <TD className="text-right tabular-nums">{formatCount(k.refused)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

/** The range's figures, each labelled with its definition (lib/usage/definitions.ts). */
export function TotalsRow({ totals }: { totals: UsageSummary["totals"] }) {
  const items = [
    { word: "attempts", label: D.attempts.label, title: D.attempts.definition, value: formatCount(totals.attempts) },
    { word: "admitted", label: D.admitted.label, title: D.admitted.definition, value: formatCount(totals.admitted) },
    { word: "refused", label: D.refused.label, title: D.refused.definition, value: formatCount(totals.refused), note: errorRate(totals.refused, totals.attempts) },
  ];
  return (
    <div className="space-y-2">
      <dl className="grid grid-cols-3 gap-4">
        {items.map((i) => (
          <div key={i.label} className="min-w-0">
            <dt className={`text-xs font-medium tracking-wide uppercase ${muted}`} title={i.title}>
              {i.label}
            </dt>
            <dd className="mt-0.5 text-xl font-semibold text-zinc-900 tabular-nums dark:text-zinc-50" data-testid={`totals-${i.word}`}>
              {i.value}
              {/* Phones: the rate under the count; beside it, "1,051 (3.9%)" ran past the card's edge. */}
              {i.note && i.note !== "—" ? <span className={`ml-1.5 text-sm font-normal max-sm:ml-0 max-sm:block ${muted}`}>({i.note})</span> : null}
            </dd>
          </div>
        ))}
      </dl>
      <p className={`text-xs ${muted}`}>
        {D.attempts.label}: {D.attempts.definition} {D.admitted.label}: {D.admitted.definition}
      </p>
    </div>
  );
}
