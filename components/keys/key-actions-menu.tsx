"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import type { KeyAction } from "./key-permissions";

const ITEM_TEXT: Record<KeyAction, string> = {
  rename: "Rename",
  edit: "Edit settings",
  rotate: "Rotate",
  disable: "Disable",
  enable: "Enable",
  revoke: "Revoke",
};

export interface KeyActionsMenuProps {
  /** Key name as used in labels, e.g. "Production". */
  label: string;
  actions: KeyAction[];
  onSelect: (action: KeyAction) => void;
  busy?: boolean;
}

/**
 * Per-row "Actions for <key>" disclosure on the native Popover API: it renders in the top layer
 * (not clipped by the table's scroll box), Esc and outside clicks close it, and focus returns to
 * the trigger. Items are plain buttons named "<Action> <key>"; ↑/↓ move between them.
 */
export function KeyActionsMenu({ label, actions, onSelect, busy }: KeyActionsMenuProps) {
  const menuId = useId();
  const menuRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const listeners = useRef<AbortController | null>(null);
  useEffect(() => () => listeners.current?.abort(), []);

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLButtonElement>("button") ?? []);

  /** Runs before the menu shows: right-aligned under the trigger, or above it near the bottom edge. */
  function place() {
    const menu = menuRef.current;
    const trigger = triggerRef.current;
    if (!menu || !trigger) return;
    const t = trigger.getBoundingClientRect();
    const estimatedHeight = actions.length * 36 + 10;
    const below = t.bottom + 4 + estimatedHeight <= window.innerHeight;
    menu.style.top = below ? `${t.bottom + 4}px` : "auto";
    menu.style.bottom = below ? "auto" : `${window.innerHeight - t.top + 4}px`;
    menu.style.right = `${Math.max(8, document.documentElement.clientWidth - t.right)}px`;
    menu.style.left = "auto";
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (event.key === "ArrowDown") move(index + 1);
    else if (event.key === "ArrowUp") move(index - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(list.length - 1);
  }

  return (
    <>
      <Button
        ref={triggerRef}
        variant="ghost"
        size="sm"
        popoverTarget={menuId}
        aria-label={`Actions for ${label}`}
        aria-expanded={open}
        aria-controls={menuId}
        loading={busy}
        className="px-2"
      >
        {busy ? null : (
          <svg aria-hidden="true" focusable="false" viewBox="0 0 20 20" fill="currentColor" className="size-4">
            <circle cx="4" cy="10" r="1.5" />
            <circle cx="10" cy="10" r="1.5" />
            <circle cx="16" cy="10" r="1.5" />
          </svg>
        )}
      </Button>
      <div
        ref={menuRef}
        id={menuId}
        popover="auto"
        aria-label={`Actions for ${label}`}
        role="group"
        onBeforeToggle={(event) => {
          if (event.newState === "open") place();
        }}
        onToggle={(event) => {
          const isOpen = event.newState === "open";
          setOpen(isOpen);
          listeners.current?.abort();
          listeners.current = null;
          if (!isOpen) return;
          items()[0]?.focus();
          // A fixed menu would drift away from its row: close it when anything scrolls or resizes.
          const controller = new AbortController();
          listeners.current = controller;
          const close = () => menuRef.current?.hidePopover();
          window.addEventListener("scroll", close, { capture: true, signal: controller.signal });
          window.addEventListener("resize", close, { signal: controller.signal });
        }}
        onKeyDown={onKeyDown}
        onBlur={(event) => {
          const next = event.relatedTarget as Node | null;
          if (next && !event.currentTarget.contains(next) && next !== triggerRef.current) event.currentTarget.hidePopover();
        }}
        className="fixed inset-auto m-0 min-w-44 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
      >
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            aria-label={`${ITEM_TEXT[action]} ${label}`}
            onClick={() => {
              // Close first and put focus back on the trigger, so a dialog opened next returns focus there.
              menuRef.current?.hidePopover();
              triggerRef.current?.focus();
              onSelect(action);
            }}
            className={cx(
              "flex w-full items-center rounded-md px-3 py-2 text-left whitespace-nowrap hover:bg-zinc-100 focus-visible:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800",
              action === "revoke" ? "text-red-700 dark:text-red-400" : "text-zinc-800 dark:text-zinc-200",
            )}
          >
            {ITEM_TEXT[action]}
          </button>
        ))}
      </div>
    </>
  );
}
