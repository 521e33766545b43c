"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { cx } from "./cx";

export type ToastVariant = "success" | "error" | "info";

export interface ToastOptions {
  title: string;
  description?: string;
  variant?: ToastVariant;
}

interface ToastItem extends ToastOptions {
  id: number;
}

interface ToastContextValue {
  toast: (options: ToastOptions) => void;
}

const ToastContext = createContext<ToastContextValue | null>(null);

const DISMISS_AFTER_MS = 5000;
const MAX_VISIBLE = 5;

/** Wrap the app (client boundary) once, e.g. in the root layout. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(0);

  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((t) => t.id !== id));
  }, []);

  const toast = useCallback((options: ToastOptions) => {
    nextId.current += 1;
    const item: ToastItem = { ...options, id: nextId.current };
    setToasts((current) => [...current, item].slice(-MAX_VISIBLE));
  }, []);

  const value = useMemo(() => ({ toast }), [toast]);

  return (
    <ToastContext value={value}>
      {children}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="false"
        aria-label="Notifications"
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
      >
        {toasts.map((t) => (
          <Toast key={t.id} item={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext>
  );
}

/** `const { toast } = useToast(); toast({ title: "API key revoked", variant: "success" })` */
export function useToast(): ToastContextValue {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error("useToast() must be used inside <ToastProvider>.");
  return ctx;
}

const variantStyles: Record<ToastVariant, { icon: string; srPrefix: string; path: ReactNode }> = {
  success: {
    icon: "text-emerald-600 dark:text-emerald-400",
    srPrefix: "Success:",
    path: <path d="m8 12.5 2.5 2.5L16 9.5" />,
  },
  error: {
    icon: "text-red-600 dark:text-red-400",
    srPrefix: "Error:",
    path: (
      <>
        <path d="M12 7.5v5" />
        <path d="M12 16.5h.01" />
      </>
    ),
  },
  info: {
    icon: "text-accent-600 dark:text-accent-400",
    srPrefix: "Info:",
    path: (
      <>
        <path d="M12 11v5" />
        <path d="M12 7.5h.01" />
      </>
    ),
  },
};

function Toast({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const paused = hovered || focused;
  const style = variantStyles[item.variant ?? "info"];

  // Auto-dismiss; the timer pauses (and restarts) while hovered or focused.
  useEffect(() => {
    if (paused) return;
    const timer = window.setTimeout(() => onDismiss(item.id), DISMISS_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [paused, item.id, onDismiss]);

  return (
    <div
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false);
      }}
      className={cx(
        "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-lg",
        "dark:border-zinc-800 dark:bg-zinc-900",
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
        className={cx("mt-px size-5 shrink-0", style.icon)}
      >
        <circle cx="12" cy="12" r="9" />
        {style.path}
      </svg>
      <div className="min-w-0 flex-1">
        <p className="font-medium text-zinc-900 dark:text-zinc-100">
          <span className="sr-only">{style.srPrefix} </span>
          {item.title}
        </p>
        {item.description ? <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">{item.description}</p> : null}
      </div>
      <button
        type="button"
        aria-label="Dismiss notification"
        onClick={() => onDismiss(item.id)}
        className="-m-1 inline-flex size-7 shrink-0 items-center justify-center rounded-md text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      >
        <svg aria-hidden="true" focusable="false" viewBox="0 0 20 20" fill="currentColor" className="size-4">
          <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
        </svg>
      </button>
    </div>
  );
}
