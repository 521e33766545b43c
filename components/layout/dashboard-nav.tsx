"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";

const LINKS = [
  { href: "/keys", label: "API keys" },
  { href: "/usage", label: "Usage" },
  { href: "/audit-log", label: "Audit log" },
  { href: "/webhooks", label: "Webhooks", adminOnly: true },
  { href: "/api-docs", label: "API" },
  { href: "/team", label: "Team" },
  { href: "/billing", label: "Billing" },
];

/** `isAdmin`: owners and admins also see the admin-only pages (Webhooks). */
export function DashboardNav({ isAdmin = false }: { isAdmin?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Dashboard" className="order-4 w-full md:px-3 md:pb-3">
      {/* Wraps on narrow screens: every link visible, none hidden off to the side. */}
      <ul className="flex flex-wrap gap-1 md:flex-col md:flex-nowrap">
        {LINKS.filter((l) => isAdmin || !("adminOnly" in l)).map((l) => {
          const active = pathname === l.href || pathname.startsWith(`${l.href}/`);
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "block rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap md:px-3 md:py-2",
                  active
                    ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-800 dark:text-white"
                    : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-white",
                )}
              >
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
