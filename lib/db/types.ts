export type Row = Record<string, unknown>;

export interface Queryable {
  /**
   * `name`: keep a server-side prepared statement per connection under that name (hot-path
   * queries); ignored by PGlite and when DATABASE_PREPARED_STATEMENTS=false.
   */
  query<T = Row>(text: string, params?: unknown[], name?: string): Promise<{ rows: T[] }>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
