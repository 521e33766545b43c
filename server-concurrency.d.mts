export function workerCount(o: { env: Record<string, string | undefined>; dev: boolean; cores?: number }): { count: number; note: string | null };
export function listenPort(o: { cwd: string; dev: boolean; loadEnvConfig: (dir: string, dev: boolean, log: { info: (...a: unknown[]) => void; error: (...a: unknown[]) => void }) => unknown; env?: Record<string, string | undefined> }): number;
