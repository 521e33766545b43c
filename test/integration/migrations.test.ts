import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, pendingMigrations, readMigrations } from "@/lib/db/migrate";
import { testDatabases, type TestDatabase } from "../databases";

describe.each(testDatabases())("migrations on $name", ({ open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => t?.dispose());

  it("applies every migration and records it", async () => {
    expect(await pendingMigrations(t.db)).toEqual([]);
    const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from llavero_meta.schema_migrations");
    expect(rows[0]!.n).toBe(readMigrations().length);
  });

  it("is idempotent: a second run applies nothing and keeps data", async () => {
    await t.db.query("insert into auth.users (email) values ('keep@example.com')");
    expect(await migrate(t.db, { installAuthStandIn: true })).toEqual([]);
    const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from auth.users where email = 'keep@example.com'");
    expect(rows[0]!.n).toBe(1);
  });

  it("enables row-level security on every public table", async () => {
    const { rows } = await t.db.query<{ relname: string }>(
      "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity",
    );
    expect(rows.map((r) => r.relname)).toEqual([]);
  });
});
