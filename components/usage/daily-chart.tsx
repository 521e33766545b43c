"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { Skeleton } from "@/components/ui/states";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatCount, longDay, shortDay, type ChartData, type ChartSeries } from "./usage-format";

/** Placeholder bars while the numbers load. */
export function ChartSkeleton() {
  return (
    <div aria-hidden="true" className="flex h-72 items-end gap-2 pt-6">
      {[40, 65, 30, 80, 55, 70, 45, 90, 60, 35, 75, 50].map((h, i) => (
        <Skeleton key={i} className="flex-1" style={{ height: `${h}%` }} />
      ))}
    </div>
  );
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

function Swatch({ color }: { color: string }) {
  return <span aria-hidden="true" className="inline-block size-2.5 shrink-0 rounded-sm" style={{ backgroundColor: color }} />;
}

function ChartLegend({ series }: { series: ChartSeries[] }) {
  return (
    <ul className="flex flex-wrap justify-center gap-x-4 gap-y-1 pt-3 text-xs text-zinc-700 dark:text-zinc-300" data-testid="chart-legend">
      {series.map((s) => (
        <li key={s.id} className="flex items-center gap-1.5">
          <Swatch color={s.color} />
          <span>{s.name}</span>
        </li>
      ))}
    </ul>
  );
}

function ChartTooltip({ active, label, series, rows }: Pick<TooltipContentProps, "active" | "label"> & { series: ChartSeries[]; rows: ChartData["rows"] }) {
  if (!active || typeof label !== "string") return null;
  const row = rows.find((r) => r.day === label);
  if (!row) return null;
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
      <p className="mb-1 font-medium text-zinc-900 dark:text-zinc-100">{longDay(label)}</p>
      <ul className="space-y-0.5">
        {series.map((s) => (
          <li key={s.id} className="flex items-center gap-2 text-zinc-700 dark:text-zinc-300">
            <Swatch color={s.color} />
            <span className="min-w-0 flex-1 truncate">{s.name}</span>
            <span className="tabular-nums">{formatCount(Number(row[s.id]) || 0)}</span>
          </li>
        ))}
      </ul>
      <p className="mt-1 flex justify-between gap-4 border-t border-zinc-200 pt-1 font-medium text-zinc-900 dark:border-zinc-700 dark:text-zinc-100">
        <span>Total</span>
        <span className="tabular-nums">{formatCount(row.total)}</span>
      </p>
    </div>
  );
}

export interface DailyChartProps {
  data: ChartData;
  /** Names the figure, e.g. "Daily calls by key, last 30 days". */
  label: string;
  /** Caption of the data table (text alternative). */
  tableCaption: string;
}

/**
 * Stacked daily bars (one stack per day, one segment per series) with a legend, a tooltip and,
 * as its text alternative, the same numbers in a table behind "Show data as table".
 */
export function DailyChart({ data, label, tableCaption }: DailyChartProps) {
  const { rows, series } = data;
  return (
    <figure aria-label={label} className="m-0">
      <div className="h-72 w-full text-zinc-500 dark:text-zinc-400" data-testid="daily-chart">
        <BarChart responsive data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} style={{ width: "100%", height: "100%" }} title={label}>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.2} />
          <XAxis
            dataKey="day"
            tickFormatter={(d: string) => shortDay(d)}
            tick={{ fill: "currentColor", fontSize: 12 }}
            tickLine={false}
            axisLine={{ stroke: "currentColor", strokeOpacity: 0.3 }}
            minTickGap={20}
          />
          <YAxis
            allowDecimals={false}
            tickFormatter={(n: number) => compact.format(n)}
            tick={{ fill: "currentColor", fontSize: 12 }}
            tickLine={false}
            axisLine={false}
            width={44}
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={(props) => <ChartTooltip active={props.active} label={props.label} series={series} rows={rows} />}
          />
          <Legend content={() => <ChartLegend series={series} />} />
          {series.map((s) => (
            <Bar key={s.id} dataKey={s.id} name={s.name} stackId="calls" fill={s.color} maxBarSize={36} isAnimationActive={false} />
          ))}
        </BarChart>
      </div>
      <details className="mt-4 text-sm">
        <summary className="cursor-pointer font-medium text-accent-700 select-none hover:underline dark:text-accent-300">Show data as table</summary>
        <div className="mt-3 max-h-96 overflow-y-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <Table caption={tableCaption}>
            <THead>
              <TR>
                <TH>Day (UTC)</TH>
                {series.map((s) => (
                  <TH key={s.id} className="text-right">
                    {s.name}
                  </TH>
                ))}
                <TH className="text-right">Total</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((r) => (
                <TR key={r.day}>
                  <th scope="row" className="px-4 py-2.5 font-normal whitespace-nowrap text-zinc-700 dark:text-zinc-300">
                    <time dateTime={r.day}>{longDay(r.day)}</time>
                  </th>
                  {series.map((s) => (
                    <TD key={s.id} className="text-right tabular-nums">
                      {formatCount(Number(r[s.id]) || 0)}
                    </TD>
                  ))}
                  <TD className="text-right font-medium tabular-nums">{formatCount(r.total)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      </details>
    </figure>
  );
}
