import type { ComponentProps, ReactNode } from "react";
import { cx } from "./cx";

export function Card({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      className={cx(
        "overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900",
        className,
      )}
      {...props}
    />
  );
}

export interface CardHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons/links aligned to the right. */
  actions?: ReactNode;
  /** Heading level for the title; default 2. */
  headingLevel?: 2 | 3 | 4;
  className?: string;
}

export function CardHeader({ title, description, actions, headingLevel = 2, className }: CardHeaderProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div
      className={cx(
        "flex flex-wrap items-start justify-between gap-x-4 gap-y-3 border-b border-zinc-200 px-6 py-4 dark:border-zinc-800",
        className,
      )}
    >
      <div className="min-w-0">
        <Heading className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</Heading>
        {description ? <div className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{description}</div> : null}
      </div>
      {actions ? <div className="flex min-w-0 max-w-full flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function CardBody({ className, ...props }: ComponentProps<"div">) {
  return <div className={cx("px-6 py-5", className)} {...props} />;
}
