import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";

export interface CodeBlockProps {
  code: string;
  /** Visible caption, e.g. "curl" or "Response · 200". */
  title: string;
  /** Unique accessible name of the block, e.g. "curl example for GET /api/public/ping"; the copy button says "Copy …". */
  label: string;
  className?: string;
  /** Caps the height of long examples; the block scrolls. */
  tall?: boolean;
  /** Wraps long lines (JSON with long strings) instead of scrolling sideways. */
  wrap?: boolean;
}

/** A captioned, copyable, keyboard-scrollable monospace block. */
export function CodeBlock({ code, title, label, className, tall = false, wrap = false }: CodeBlockProps) {
  return (
    <figure className={cx("min-w-0 overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800", className)}>
      <figcaption className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 dark:border-zinc-800 dark:bg-zinc-900/60">
        <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{title}</span>
        <CopyButton value={code} label={`Copy ${label}`} variant="ghost" />
      </figcaption>
      <pre
        // Focusable so keyboard users can scroll a wide or tall example.
        tabIndex={0}
        role="region"
        aria-label={label}
        className={cx(
          "overflow-auto bg-white p-3 font-mono text-xs leading-relaxed text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200",
          tall && "max-h-96",
          wrap && "break-words whitespace-pre-wrap",
        )}
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}
