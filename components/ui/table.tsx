import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "./cx";

export interface TableProps extends ComponentProps<"table"> {
  /** Screen-reader-only caption describing the table (recommended). Also labels the scroll region. */
  caption?: ReactNode;
  /** Class for the horizontal-scroll container. */
  containerClassName?: string;
  /**
   * Below the `sm` breakpoint (640 px), show each row as a stacked card of "label: value" lines
   * instead of columns: for tables with a long prose column (an error's "when", a parameter's
   * description) that a phone would squeeze to a word per line. Give each TD a `label` (its
   * column's heading). Explicit ARIA roles keep the table semantics that `display: block` drops
   * in some browsers. From `sm` up the table is unchanged.
   */
  stackOnPhone?: boolean;
}

/** Row-as-card layout below `sm`; the header row stays for screen readers only. */
const STACKED = [
  "max-sm:block max-sm:[&_tbody]:block max-sm:[&_thead]:sr-only",
  "max-sm:[&_tbody>tr]:block max-sm:[&_tbody>tr]:px-4 max-sm:[&_tbody>tr]:py-3",
  "max-sm:[&_td]:block max-sm:[&_td]:px-0 max-sm:[&_td]:py-0.5 max-sm:[&_td]:whitespace-normal",
  "max-sm:[&_td[data-label]]:before:mr-2 max-sm:[&_td[data-label]]:before:content-[attr(data-label)]",
  "max-sm:[&_td]:before:text-[0.6875rem] max-sm:[&_td]:before:font-sans max-sm:[&_td]:before:font-medium max-sm:[&_td]:before:tracking-wide",
  "max-sm:[&_td]:before:text-zinc-500 max-sm:[&_td]:before:uppercase dark:max-sm:[&_td]:before:text-zinc-400",
].join(" ");

/**
 * Table inside a horizontally scrollable container. Compose with THead/TBody/TR/TH/TD.
 * With a caption the container is a labelled, keyboard-focusable scroll region, and when the
 * table is wider than its box a shadow at the hidden edge says there is more (`.table-scroll`
 * in app/globals.css; pure CSS, so it follows the scroll position without script).
 */
export function Table({ caption, className, containerClassName, stackOnPhone, children, ...props }: TableProps) {
  const captionId = useId();
  return (
    <div
      // Keyboard users can scroll the region when the table overflows.
      {...(caption ? { role: "region", "aria-labelledby": captionId, tabIndex: 0 } : {})}
      // `relative`: sr-only cells (position: absolute) then sit inside the scroll box instead of widening the page.
      // Inset focus ring: the card around the table clips anything drawn outside it.
      className={cx("table-scroll relative w-full overflow-x-auto rounded-[inherit] focus-visible:[outline-offset:-2px]", containerClassName)}
    >
      <table
        {...(stackOnPhone ? { role: "table" } : {})}
        className={cx("w-full border-collapse text-left text-sm", stackOnPhone && STACKED, className)}
        {...props}
      >
        {caption ? (
          <caption id={captionId} className="sr-only">
            {caption}
          </caption>
        ) : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return (
    <thead
      // Explicit roles (here and on the other parts): the stacked layout's `display: block` drops the implicit ones in some browsers.
      role="rowgroup"
      className={cx("border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/60", className)}
      {...props}
    />
  );
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody role="rowgroup" className={cx("divide-y divide-zinc-200 dark:divide-zinc-800", className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr role="row" className={cx("transition-colors [tbody>&]:hover:bg-zinc-50 dark:[tbody>&]:hover:bg-zinc-800/40", className)} {...props} />;
}

/** Header cell; `scope="col"` by default (pass scope="row" for row headers). */
export function TH({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return (
    <th
      scope={scope}
      role={scope === "row" ? "rowheader" : "columnheader"}
      className={cx(
        "px-4 py-2.5 text-xs font-medium tracking-wide whitespace-nowrap text-zinc-500 uppercase dark:text-zinc-400",
        className,
      )}
      {...props}
    />
  );
}

/** Data cell. `label`: the column's heading, shown before the value when the table is stacked (Table's stackOnPhone). */
export function TD({ className, label, ...props }: ComponentProps<"td"> & { label?: string }) {
  return (
    <td
      role="cell"
      {...(label ? { "data-label": label } : {})}
      className={cx("px-4 py-3 align-middle text-zinc-700 dark:text-zinc-300", className)}
      {...props}
    />
  );
}
