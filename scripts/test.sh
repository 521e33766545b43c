#!/usr/bin/env bash
# Every test: types, lint, unit + integration (PGlite always; PostgreSQL too when
# TEST_DATABASE_URL is set), then the production build, the crash-consistency runs (PostgreSQL
# only), the startup refusals (PostgreSQL only) and the Playwright suite.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }

step "Type check"
npx tsc --noEmit -p .
step "Lint"
npx eslint . --max-warnings=0
step "Unit and integration tests${TEST_DATABASE_URL:+ (PGlite and PostgreSQL)}"
npx vitest run
step "Production build"
npx next build
step "Crash consistency (kill -9 under load, on PostgreSQL)"
npx tsx scripts/crash-consistency.ts
step "A server that cannot start says so before it listens (PostgreSQL)"
npx tsx scripts/startup-refusal.ts
step "End-to-end tests (Chromium)"
node scripts/ensure-browser.mjs
npx playwright test
step "End-to-end billing against the Stripe stand-in (Chromium)"
npx playwright test -c playwright.stripe.config.ts
