"use client";

import { CopyButton } from "./copy-button";
import { cx } from "./cx";

export interface SecretBoxProps {
  /** The secret, shown in full in a read-only monospace input. */
  value: string;
  /** Accessible name of the input, e.g. "API key". */
  label: string;
  /** Accessible name of the copy button; default `Copy ${label}`. */
  copyLabel?: string;
  className?: string;
}

/** Read-only, selectable secret with a copy button. Text is selected on focus. */
export function SecretBox({ value, label, copyLabel, className }: SecretBoxProps) {
  return (
    <div className={cx("flex items-center gap-2", className)}>
      <input
        type="text"
        readOnly
        value={value}
        aria-label={label}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        data-1p-ignore=""
        onFocus={(event) => event.currentTarget.select()}
        className={cx(
          "h-10 min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 font-mono text-sm text-zinc-900 shadow-sm",
          "dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100",
        )}
      />
      <CopyButton value={value} label={copyLabel ?? `Copy ${label}`} size="md" />
    </div>
  );
}
