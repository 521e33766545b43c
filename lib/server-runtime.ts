import "server-only";
import { getDb } from "@/lib/db";

export async function startServerRuntime(): Promise<void> {
  try {
    await getDb();
  } catch (err) {
    console.error(`\nLlavero cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
