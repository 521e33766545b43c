import { cx } from "./cx";

export interface ProgressBarProps {
  value: number;
  max: number;
  /** Accessible name, e.g. "API requests this month". */
  label: string;
  /** Optional aria-valuetext, e.g. "8,200 of 10,000 requests". */
  valueText?: string;
  className?: string;
}

/** Usage meter: accent below 80 %, amber from 80 %, red at 100 % or more. */
export function ProgressBar({ value, max, label, valueText, className }: ProgressBarProps) {
  const safeMax = Number.isFinite(max) && max > 0 ? max : 0;
  const safeValue = Number.isFinite(value) ? Math.max(0, value) : 0;
  const ratio = safeMax > 0 ? safeValue / safeMax : safeValue > 0 ? 1 : 0;
  const percent = Math.min(100, ratio * 100);
  const tone = ratio >= 1 ? "bg-red-600 dark:bg-red-500" : ratio >= 0.8 ? "bg-amber-500 dark:bg-amber-400" : "bg-accent-600 dark:bg-accent-500";

  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={safeMax}
      aria-valuenow={Math.min(safeValue, safeMax)}
      aria-valuetext={valueText}
      className={cx("h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800", className)}
    >
      <div className={cx("h-full rounded-full transition-[width] duration-300", tone)} style={{ width: `${percent}%` }} />
    </div>
  );
}
