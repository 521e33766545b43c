import type { ComponentProps, ReactNode } from "react";
import { Button } from "./button";
import { cx } from "./cx";
import { Spinner } from "./spinner";

export { Spinner };

type HeadingLevel = 2 | 3 | 4;

/** Placeholder block. Give it a size: <Skeleton className="h-4 w-40" />. */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      aria-hidden="true"
      {...props}
      className={cx("rounded-md bg-zinc-200 motion-safe:animate-pulse dark:bg-zinc-800", className)}
    />
  );
}

export interface LoadingStateProps {
  /** Announced to screen readers, e.g. "Loading API keys". */
  label: string;
  className?: string;
}

export function LoadingState({ label, className }: LoadingStateProps) {
  return (
    <div
      role="status"
      className={cx("flex items-center justify-center py-12 text-zinc-500 dark:text-zinc-400", className)}
    >
      <Spinner className="size-6" />
      <span className="sr-only">{label}</span>
    </div>
  );
}

export interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  /** Usually a <Button> or a link styled with buttonClasses(). */
  action?: ReactNode;
  headingLevel?: HeadingLevel;
  className?: string;
}

export function EmptyState({ title, description, action, headingLevel = 2, className }: EmptyStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div
      className={cx(
        "flex flex-col items-center justify-center rounded-xl border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700",
        className,
      )}
    >
      <Heading className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</Heading>
      {description ? (
        <div className="mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">{description}</div>
      ) : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}

export interface ErrorStateProps {
  title: ReactNode;
  message: ReactNode;
  /** Shows a "Try again" button when provided (client components only). */
  onRetry?: () => void;
  retryLabel?: string;
  headingLevel?: HeadingLevel;
  className?: string;
}

export function ErrorState({
  title,
  message,
  onRetry,
  retryLabel = "Try again",
  headingLevel = 2,
  className,
}: ErrorStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div
      role="alert"
      className={cx(
        "flex flex-col items-center justify-center rounded-xl border border-red-200 bg-red-50 px-6 py-12 text-center dark:border-red-900/60 dark:bg-red-950/30",
        className,
      )}
    >
      <svg
        aria-hidden="true"
        focusable="false"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="mb-3 size-8 text-red-600 dark:text-red-400"
      >
        <circle cx="12" cy="12" r="9" />
        <path d="M12 7.5v5" />
        <path d="M12 16.5h.01" />
      </svg>
      <Heading className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</Heading>
      <div className="mt-1 max-w-md text-sm text-zinc-700 dark:text-zinc-300">{message}</div>
      {onRetry ? (
        <div className="mt-5">
          <Button variant="secondary" onClick={onRetry}>
            {retryLabel}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
