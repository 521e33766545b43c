export function workerCount(o: { env: Record<string, string | undefined>; dev: boolean; cores?: number }): { count: number; note: string | null };
