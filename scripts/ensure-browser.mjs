// Playwright's own browser download cannot reach its servers from some machines, so the
// end-to-end suite runs on a system Chromium. Never skip silently: find one, install one, or
// stop with the exact command that gets one.
import { execSync } from "node:child_process";
import fs from "node:fs";

const wanted = process.env.PLAYWRIGHT_CHROMIUM_PATH || process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (fs.existsSync(wanted)) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = fs.existsSync("/usr/bin/apt-get");
if (hasApt && isRoot && wanted === "/usr/bin/chromium") {
  console.log("No Chromium found; installing Debian's chromium package…");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
    if (fs.existsSync(wanted)) process.exit(0);
  } catch {
    /* fall through to the message */
  }
}
console.error(
  `\nThe end-to-end tests need Chromium at ${wanted}, and none is there.\n` +
    (hasApt ? `Install it with:  sudo apt-get install -y chromium\n` : `Install it with:  npx playwright install chromium\n  and set PLAYWRIGHT_CHROMIUM_PATH to the browser it prints.\n`) +
    `Or point PLAYWRIGHT_CHROMIUM_PATH at any Chromium or Chrome binary.\n`,
);
process.exit(1);
