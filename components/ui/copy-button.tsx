"use client";

import { useEffect, useState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";

export interface CopyButtonProps {
  /** Text to copy. */
  value: string;
  /** Accessible name, e.g. "Copy API key". */
  label: string;
  size?: ButtonSize;
  variant?: ButtonVariant;
  className?: string;
}

type CopyStatus = "idle" | "copied" | "failed";

function legacyCopy(text: string, anchor: HTMLElement): boolean {
  // Append near the button: inside an open modal <dialog> the rest of the page is inert.
  const host = anchor.closest("dialog") ?? document.body;
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;
  textarea.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;padding:0;border:0;opacity:0;pointer-events:none;";
  host.appendChild(textarea);
  textarea.select();
  textarea.setSelectionRange(0, text.length);
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  textarea.remove();
  anchor.focus();
  return ok;
}

async function copyText(text: string, anchor: HTMLElement): Promise<boolean> {
  if (window.isSecureContext && typeof navigator.clipboard?.writeText === "function") {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or document not focused: fall back below.
    }
  }
  return legacyCopy(text, anchor);
}

/** Copies `value` to the clipboard; shows "Copied" for 2 s and announces it politely. */
export function CopyButton({ value, label, size = "sm", variant = "secondary", className }: CopyButtonProps) {
  // A fresh object per click restarts the reset timer.
  const [result, setResult] = useState<{ status: CopyStatus } | null>(null);
  const status: CopyStatus = result?.status ?? "idle";

  useEffect(() => {
    if (!result) return;
    const timer = window.setTimeout(() => setResult(null), 2000);
    return () => window.clearTimeout(timer);
  }, [result]);

  return (
    <>
      <Button
        variant={variant}
        size={size}
        aria-label={label}
        className={className}
        onClick={async (event) => {
          const ok = await copyText(value, event.currentTarget);
          setResult({ status: ok ? "copied" : "failed" });
        }}
      >
        {status === "copied" ? (
          <svg aria-hidden="true" focusable="false" viewBox="0 0 20 20" fill="currentColor" className="size-4 text-emerald-600 dark:text-emerald-400">
            <path
              fillRule="evenodd"
              d="M16.7 5.3a1 1 0 0 1 0 1.4l-7.5 7.5a1 1 0 0 1-1.4 0L3.3 9.7a1 1 0 1 1 1.4-1.4l3.8 3.79 6.8-6.8a1 1 0 0 1 1.4 0Z"
              clipRule="evenodd"
            />
          </svg>
        ) : (
          <svg aria-hidden="true" focusable="false" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.5" className="size-4">
            <rect x="7" y="7" width="10" height="10" rx="2" />
            <path d="M13 7V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h2" />
          </svg>
        )}
        <span>{status === "copied" ? "Copied" : status === "failed" ? "Copy failed" : "Copy"}</span>
      </Button>
      <span role="status" aria-live="polite" className="sr-only">
        {status === "copied" ? "Copied to clipboard" : status === "failed" ? "Copy failed. Select the text and copy it manually." : ""}
      </span>
    </>
  );
}
