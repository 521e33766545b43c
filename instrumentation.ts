/**
 * Runs once when the server starts. Opening the database here (rather than on the first
 * request) means a second server on the same embedded data directory, or one pointed at an
 * unmigrated PostgreSQL, stops at start with a clear message instead of failing requests later.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerRuntime } = await import("./lib/server-runtime");
  await startServerRuntime();
}
