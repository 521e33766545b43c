import type { ReactNode } from "react";
import { cx } from "./cx";

export interface PageHeaderProps {
  /** Rendered as the page's <h1>. */
  title: ReactNode;
  description?: ReactNode;
  /** Primary page actions, right-aligned on wide screens. */
  actions?: ReactNode;
  className?: string;
}

export function PageHeader({ title, description, actions, className }: PageHeaderProps) {
  return (
    <div className={cx("mb-8 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between", className)}>
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{title}</h1>
        {description ? (
          <div className="mt-1 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{description}</div>
        ) : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
