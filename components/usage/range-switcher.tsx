"use client";

import { cx } from "@/components/ui/cx";
import { RANGE_DAYS } from "@/lib/usage/usage.schema";
import type { RangeDays } from "./use-usage";

export interface SegmentedOption<T extends string | number> {
  value: T;
  label: string;
}

/** A row of toggle buttons (aria-pressed) where exactly one is on. */
export function Segmented<T extends string | number>({
  label,
  options,
  value,
  onChange,
  className,
}: {
  /** Names the group for assistive technology, e.g. "Date range". */
  label: string;
  options: readonly SegmentedOption<T>[];
  value: T;
  onChange: (value: T) => void;
  className?: string;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className={cx("inline-flex rounded-md border border-zinc-300 bg-white p-0.5 shadow-sm dark:border-zinc-700 dark:bg-zinc-900", className)}
    >
      {options.map((o) => {
        const on = o.value === value;
        return (
          <button
            key={String(o.value)}
            type="button"
            aria-pressed={on}
            onClick={() => {
              if (!on) onChange(o.value);
            }}
            className={cx(
              "rounded px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors",
              on
                ? "bg-accent-600 text-white shadow-sm dark:bg-accent-500"
                : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
            )}
          >
            {o.label}
          </button>
        );
      })}
    </div>
  );
}

const RANGE_OPTIONS = RANGE_DAYS.map((d) => ({ value: d, label: `${d} days` }));

export function RangeSwitcher({ value, onChange }: { value: RangeDays; onChange: (days: RangeDays) => void }) {
  return <Segmented label="Date range" options={RANGE_OPTIONS} value={value} onChange={onChange} />;
}
