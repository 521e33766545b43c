import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/layout/providers";
import "./globals.css";

// Every page is rendered per request, so each one carries the nonce of its own CSP (proxy.ts);
// a prerendered page (the 404 page was one) would have scripts the CSP blocks.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Llavero", template: "%s · Llavero" },
  description: "API keys, usage and billing for your API.",
  // Listed explicitly: with only the Apple icon set, Next emits no rel="icon" link and browsers
  // fall back to a /favicon.ico that does not exist (a 404 in every first page load).
  icons: { icon: [{ url: "/icon.svg", type: "image/svg+xml" }, { url: "/icon-192.png", type: "image/png", sizes: "192x192" }], apple: "/apple-touch-icon.png" },
  manifest: "/site.webmanifest",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
