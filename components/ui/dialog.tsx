"use client";

import { useEffect, useId, useReducer, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { cx } from "./cx";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focus `[data-autofocus]`, else the first focusable control in the body, then footer, else the dialog itself. */
function focusInitial(dialog: HTMLDialogElement) {
  const target =
    dialog.querySelector<HTMLElement>("[data-autofocus]") ??
    dialog.querySelector<HTMLElement>(`[data-dialog-body] :is(${FOCUSABLE})`) ??
    dialog.querySelector<HTMLElement>(`[data-dialog-footer] :is(${FOCUSABLE})`) ??
    dialog;
  target.focus();
}

export interface DialogProps {
  open: boolean;
  /** Called on Esc, backdrop click and the close (×) button. Set `open` to false in response. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons row, right-aligned. */
  footer?: ReactNode;
  /** Max width; default "md". */
  size?: "sm" | "md" | "lg";
  className?: string;
}

const widths = { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl" } as const;

/**
 * Modal dialog on the native <dialog> + showModal(): focus is trapped by the browser,
 * the page behind is inert, Esc closes (via onClose). Content is only mounted while open,
 * so forms inside reset between openings. Put `data-autofocus` on the element that should
 * receive focus first.
 */
export function Dialog({ open, onClose, title, description, children, footer, size = "md", className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocusRef = useRef<HTMLElement | null>(null);
  const pointerDownOnBackdrop = useRef(false);
  const titleId = useId();
  const descriptionId = useId();
  // Bumped when the browser closes the element while `open` is still true, so the effect re-syncs.
  const [syncTick, resync] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open) {
      if (!dialog.open) {
        const active = document.activeElement;
        if (!returnFocusRef.current && active instanceof HTMLElement) returnFocusRef.current = active;
        dialog.showModal();
        focusInitial(dialog);
      }
    } else {
      if (dialog.open) dialog.close();
      const previous = returnFocusRef.current;
      returnFocusRef.current = null;
      if (previous?.isConnected) previous.focus();
    }
  }, [open, syncTick]);

  return (
    <dialog
      ref={ref}
      tabIndex={-1}
      aria-labelledby={titleId}
      aria-describedby={open && description ? descriptionId : undefined}
      onCancel={(event) => {
        // Esc: keep the element open until the owner flips `open`.
        event.preventDefault();
        onClose();
      }}
      onClose={() => {
        // Closed by the browser without our say (e.g. a non-cancelable Esc): tell the owner,
        // and re-open if the owner keeps `open` true (e.g. while an action is pending).
        if (open) {
          onClose();
          resync();
        }
      }}
      onPointerDown={(event) => {
        pointerDownOnBackdrop.current = event.target === event.currentTarget;
      }}
      onClick={(event) => {
        // Clicks on the ::backdrop target the <dialog> itself (the content fills it).
        if (pointerDownOnBackdrop.current && event.target === event.currentTarget) onClose();
        pointerDownOnBackdrop.current = false;
      }}
      className={cx(
        "m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] overflow-hidden rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl",
        "backdrop:bg-zinc-950/50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100 dark:backdrop:bg-black/70",
        widths[size],
        className,
      )}
    >
      {open ? (
        <div className="flex max-h-[calc(100dvh-2rem)] flex-col">
          <div className={cx("flex items-start justify-between gap-4 px-6 pt-5", children ? "pb-1" : "pb-5")}>
            <div className="min-w-0">
              <h2 id={titleId} className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
                {title}
              </h2>
              {description ? (
                <div id={descriptionId} className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                  {description}
                </div>
              ) : null}
            </div>
            <button
              type="button"
              aria-label="Close dialog"
              onClick={onClose}
              className="-mt-1 -mr-2 inline-flex size-8 shrink-0 items-center justify-center rounded-md text-zinc-500 transition-colors hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
            >
              <svg aria-hidden="true" focusable="false" viewBox="0 0 20 20" fill="currentColor" className="size-4">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </div>
          {children ? (
            <div data-dialog-body="" className="min-h-0 flex-1 overflow-y-auto px-6 py-4 text-sm">
              {children}
            </div>
          ) : null}
          {footer ? (
            <div
              data-dialog-footer=""
              className="flex flex-wrap items-center justify-end gap-2 border-t border-zinc-200 bg-zinc-50 px-6 py-4 dark:border-zinc-800 dark:bg-zinc-950/40"
            >
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Red confirm button; initial focus goes to Cancel. */
  destructive?: boolean;
  /** If it returns a promise, buttons stay busy until it settles. Handle errors inside (e.g. toast). */
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
  /** External pending flag (e.g. from useTransition); disables Cancel/Esc and shows a spinner. */
  pending?: boolean;
}

export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  cancelLabel = "Cancel",
  destructive = false,
  onConfirm,
  onCancel,
  pending = false,
}: ConfirmDialogProps) {
  const [running, setRunning] = useState(false);
  const busy = pending || running;

  async function handleConfirm() {
    const result = onConfirm();
    if (result instanceof Promise) {
      setRunning(true);
      try {
        await result;
      } finally {
        setRunning(false);
      }
    }
  }

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!busy) onCancel();
      }}
      title={title}
      description={message}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onCancel} disabled={busy} data-autofocus={destructive ? "" : undefined}>
            {cancelLabel}
          </Button>
          <Button
            variant={destructive ? "danger" : "primary"}
            onClick={() => void handleConfirm()}
            loading={busy}
            data-autofocus={destructive ? undefined : ""}
          >
            {confirmLabel}
          </Button>
        </>
      }
    />
  );
}
