import { useId, type ComponentProps, type ReactNode } from "react";
import { cx } from "./cx";

export interface TableProps extends ComponentProps<"table"> {
  /** Screen-reader-only caption describing the table (recommended). Also labels the scroll region. */
  caption?: ReactNode;
  /** Class for the horizontal-scroll container. */
  containerClassName?: string;
}

/** Table inside a horizontally scrollable container. Compose with THead/TBody/TR/TH/TD. */
export function Table({ caption, className, containerClassName, children, ...props }: TableProps) {
  const captionId = useId();
  return (
    <div
      // Keyboard users can scroll the region when the table overflows.
      {...(caption ? { role: "region", "aria-labelledby": captionId, tabIndex: 0 } : {})}
      // `relative`: sr-only cells (position: absolute) then sit inside the scroll box instead of widening the page.
      className={cx("relative w-full overflow-x-auto rounded-[inherit]", containerClassName)}
    >
      <table className={cx("w-full border-collapse text-left text-sm", className)} {...props}>
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
      className={cx("border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/60", className)}
      {...props}
    />
  );
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cx("divide-y divide-zinc-200 dark:divide-zinc-800", className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cx("transition-colors [tbody>&]:hover:bg-zinc-50 dark:[tbody>&]:hover:bg-zinc-800/40", className)} {...props} />;
}

/** Header cell; `scope="col"` by default (pass scope="row" for row headers). */
export function TH({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return (
    <th
      scope={scope}
      className={cx(
        "px-4 py-2.5 text-xs font-medium tracking-wide whitespace-nowrap text-zinc-500 uppercase dark:text-zinc-400",
        className,
      )}
      {...props}
    />
  );
}

export function TD({ className, ...props }: ComponentProps<"td">) {
  return <td className={cx("px-4 py-3 align-middle text-zinc-700 dark:text-zinc-300", className)} {...props} />;
}
