/** The wordmark with a key glyph; an SVG rather than an emoji, which many systems lack a font for. */
export function Logo({ className }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 text-lg font-semibold tracking-tight ${className ?? ""}`}>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6 text-accent-600 dark:text-accent-400" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <circle cx="8" cy="15" r="4" />
        <path d="M10.85 12.15 19 4M17 6l2 2M14.5 8.5l2 2" />
      </svg>
      Llavero
    </span>
  );
}
