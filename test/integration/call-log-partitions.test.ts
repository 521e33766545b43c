import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { openPglite } from "@/lib/db/pglite";
import type { Database } from "@/lib/db/types";
import { ensureCallLogPartitions, runUsageMaintenance } from "@/lib/usage/maintenance";
import { openPostgresTestDb, testDatabases, type TestDatabase } from "../databases";
import { createTeamAs, createUser, insertKeyAs, queryAs } from "../fixtures";

/**
 * The partitioned call log (supabase/migrations/20261201000100_partitioned_call_log.sql):
 * partitions created ahead and safely from several sessions, the default partition that keeps
 * every call when upkeep is late, row-level security on each partition, and the migration that
 * moves existing rows.
 */

const DAY = 86_400_000;
const INSUFFICIENT_PRIVILEGE = "42501";

async function insertCall(db: Database, teamId: string, keyId: string, at: Date | string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into public.api_calls (team_id, key_id, created_at, request_id, endpoint, method, admitted, metered, status)
     values ($1, $2, $3, 'req-' || gen_random_uuid(), '/api/public/ping', 'GET', true, true, 200) returning id`,
    [teamId, keyId, at],
  );
  return Number(rows[0]!.id);
}

async function partitionOf(db: Database, id: number): Promise<string> {
  const { rows } = await db.query<{ p: string }>("select tableoid::regclass::text as p from public.api_calls where id = $1", [id]);
  return rows[0]!.p;
}

describe.each(testDatabases())("partitioned call log on $name", ({ name, open }) => {
  let t: TestDatabase;
  let teamA: string;
  let teamB: string;
  let ownerA: string;
  let ownerB: string;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    t = await open();
    const tag = `${Date.now()}`;
    ownerA = await createUser(t.db, `pa-${tag}@example.com`);
    ownerB = await createUser(t.db, `pb-${tag}@example.com`);
    teamA = await createTeamAs(t.db, ownerA, "Partitions A");
    teamB = await createTeamAs(t.db, ownerB, "Partitions B");
    keyA = await insertKeyAs(t.db, ownerA, teamA, "A");
    keyB = await insertKeyAs(t.db, ownerB, teamB, "B");
  });
  afterAll(async () => t?.dispose());

  it("the migration leaves today and the next week ready, each a day partition", async () => {
    const { rows } = await t.db.query<{ relname: string }>(
      "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'public.api_calls'::regclass",
    );
    const names = new Set(rows.map((r) => r.relname));
    expect(names.has("api_calls_default")).toBe(true);
    for (let d = 0; d <= 7; d++) {
      const day = new Date(Date.now() + d * DAY).toISOString().slice(0, 10).replaceAll("-", "");
      expect(names.has(`api_calls_p${day}`), day).toBe(true);
    }
    const id = await insertCall(t.db, teamA, keyA, new Date());
    expect(await partitionOf(t.db, id)).toBe(`api_calls_p${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`);
  });

  it("a call on a day without a partition is kept (default partition), and upkeep moves it into its own", async () => {
    const far = new Date(Date.now() + 40 * DAY);
    const id = await insertCall(t.db, teamA, keyA, far);
    expect(await partitionOf(t.db, id)).toBe("api_calls_default");
    // A second one on the same day, and one on another: upkeep handles each day once.
    const id2 = await insertCall(t.db, teamB, keyB, new Date(far.getTime() + 1000));
    const id3 = await insertCall(t.db, teamA, keyA, new Date(far.getTime() + 3 * DAY));
    expect(await ensureCallLogPartitions(t.db)).toBe(2);
    const farDay = far.toISOString().slice(0, 10).replaceAll("-", "");
    expect(await partitionOf(t.db, id)).toBe(`api_calls_p${farDay}`);
    expect(await partitionOf(t.db, id2)).toBe(`api_calls_p${farDay}`);
    expect(await partitionOf(t.db, id3)).not.toBe("api_calls_default");
    expect((await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls_default")).rows[0]!.n).toBe(0);
    expect(await ensureCallLogPartitions(t.db)).toBe(0);
  });

  it("upkeep run by several sessions at once creates each partition once and fails none", async () => {
    const base = new Date(Date.now() + 60 * DAY);
    for (let i = 0; i < 5; i++) await insertCall(t.db, teamA, keyA, new Date(base.getTime() + i * DAY));
    const created = await Promise.all(Array.from({ length: 6 }, () => ensureCallLogPartitions(t.db, base)));
    // Days base-1 .. base+7, all new: 9 partitions in total, whoever created them.
    expect(created.reduce((a, b) => a + b, 0)).toBe(9);
    const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls_default");
    expect(rows[0]!.n).toBe(0);
  });

  it("every partition has row-level security on and no grant to anon or authenticated", async () => {
    const { rows } = await t.db.query<{ relname: string; rls: boolean; acl: string | null }>(
      `select c.relname, c.relrowsecurity as rls, c.relacl::text as acl
         from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'public.api_calls'::regclass`,
    );
    expect(rows.length).toBeGreaterThan(8);
    for (const r of rows) {
      expect(r.rls, r.relname).toBe(true);
      expect(r.acl ?? "", r.relname).not.toMatch(/(^|[{,])(anon|authenticated)=/);
    }
  });

  it("a partition queried directly leaks nothing, even where new tables are granted to the API roles by default (Supabase)", async () => {
    // Supabase's default privileges: every new table in public is granted to anon and authenticated.
    await t.db.exec("alter default privileges in schema public grant all on tables to anon, authenticated");
    try {
      const base = new Date(Date.now() + 120 * DAY);
      const idA = await insertCall(t.db, teamA, keyA, base);
      await insertCall(t.db, teamB, keyB, base);
      await ensureCallLogPartitions(t.db, base);
      const part = await partitionOf(t.db, idA);
      expect(part).toMatch(/^api_calls_p\d{8}$/);
      // Through the parent, B's owner sees B's calls only.
      const viaParent = await queryAs<{ team_id: string }>(t.db, ownerB, "select team_id from public.api_calls where created_at >= $1", [base]);
      expect(viaParent.map((r) => r.team_id)).toEqual([teamB]);
      // Directly: refused (no privilege) ...
      await expect(queryAs(t.db, ownerB, `select * from public.${part}`)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      await expect(queryAs(t.db, ownerB, "select * from public.api_calls_default")).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      // ... and even if someone grants it by hand, row-level security shows no row.
      await t.db.exec(`grant select on public.${part} to authenticated`);
      expect(await queryAs(t.db, ownerB, `select * from public.${part}`)).toEqual([]);
      expect(await queryAs(t.db, ownerA, `select * from public.${part}`)).toEqual([]);
    } finally {
      await t.db.exec("alter default privileges in schema public revoke all on tables from anon, authenticated");
    }
  });

  it("retention drops whole days, keeps days the rollup has not counted, and the maintenance run reports it", async () => {
    const old = new Date(Math.floor((Date.now() - 200 * DAY) / DAY) * DAY + 3_600_000); // 01:00 UTC
    await insertCall(t.db, teamA, keyA, old);
    await insertCall(t.db, teamB, keyB, new Date(old.getTime() + DAY));
    await ensureCallLogPartitions(t.db);
    await t.db.query("update public.usage_rollup_state set rolled_up_to = $1", [new Date(old.getTime() + DAY / 2)]);
    // The rollup stops in the middle of the first day: that day is not whole behind it, so nothing goes.
    expect((await t.db.query<{ n: number }>("select public.drop_expired_api_call_partitions(now() - interval '90 days') as n")).rows[0]!.n).toBe(0);
    const left = (await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where created_at < now() - interval '150 days'")).rows[0]!.n;
    expect(left).toBe(2);
    await t.db.query("delete from public.usage_daily");
    await t.db.query("update public.usage_rollup_state set rolled_up_to = '-infinity'");
    const result = await runUsageMaintenance(t.db, { retentionDays: 90 });
    expect(result.partitionsDropped).toBeGreaterThanOrEqual(2);
    expect((await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where created_at < now() - interval '150 days'")).rows[0]!.n).toBe(0);
    // Charts still count the dropped days.
    const { rows } = await t.db.query<{ n: number }>("select coalesce(sum(calls), 0)::int as n from public.usage_daily where day < (now() - interval '150 days')::date");
    expect(rows[0]!.n).toBe(2);
  });

  it.runIf(name === "postgres")("retention does not queue inserts behind a long reader: it gives up after half a second and drops on the next run", async () => {
    const old = new Date(Date.now() - 300 * DAY);
    await insertCall(t.db, teamA, keyA, old);
    await ensureCallLogPartitions(t.db);
    await t.db.query("select public.roll_up_usage(now() - interval '1 minute')");
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reading!: () => void;
    const isReading = new Promise<void>((r) => (reading = r));
    const reader = t.db.transaction(async (tx) => {
      await tx.query("select count(*) from public.api_calls");
      reading();
      await held;
    });
    await isReading;
    const started = Date.now();
    const first = (await t.db.query<{ n: number }>("select public.drop_expired_api_call_partitions(now() - interval '250 days') as n")).rows[0]!.n;
    expect(first).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Meanwhile inserts were never blocked for long: the lock wait ended with the timeout.
    await insertCall(t.db, teamA, keyA, new Date());
    release();
    await reader;
    const second = (await t.db.query<{ n: number }>("select public.drop_expired_api_call_partitions(now() - interval '250 days') as n")).rows[0]!.n;
    expect(second).toBeGreaterThanOrEqual(1);
    expect((await t.db.query<{ n: number }>("select count(*)::int as n from public.api_calls where created_at < now() - interval '250 days'")).rows[0]!.n).toBe(0);
    // The caller's own lock_timeout is left as it was.
    const lt = await t.db.transaction(async (tx) => {
      await tx.query("set local lock_timeout = '7s'");
      await tx.query("select public.drop_expired_api_call_partitions(now() - interval '250 days')");
      return (await tx.query<{ lt: string }>("select current_setting('lock_timeout') as lt")).rows[0]!.lt;
    });
    expect(lt).toBe("7s");
  });

  it("the completion update by id alone finds a row in its partition", async () => {
    const id = await insertCall(t.db, teamA, keyA, new Date());
    await t.db.query("update public.api_calls set latency_ms = 17 where id = $1", [id]);
    expect((await t.db.query<{ l: number }>("select latency_ms as l from public.api_calls where id = $1", [id])).rows[0]!.l).toBe(17);
  });

  it(`the migration moves existing rows, ids and all (${name})`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llavero-mig-"));
    const all = readMigrations();
    const mine = all.findIndex((m) => m.version === "20261201000100");
    for (const m of all.slice(0, mine)) fs.writeFileSync(path.join(dir, `${m.version}_${m.name}.sql`), m.sql);
    const fresh = name === "pglite" ? { db: await openPglite(), dispose: null as null | (() => Promise<void>) } : await (async () => {
      const p = await openPostgresTestDb(4, dir);
      return { db: p.db, dispose: p.dispose };
    })();
    try {
      if (name === "pglite") await migrate(fresh.db, { installAuthStandIn: true, dir });
      const u = await createUser(fresh.db, "mig@example.com");
      const team = await createTeamAs(fresh.db, u, "Mig");
      const key = await insertKeyAs(fresh.db, u, team, "mig");
      const times = [Date.now() - 10 * DAY, Date.now() - 3 * DAY, Date.now() - 1000, Date.now() - 500];
      const ids: number[] = [];
      for (const at of times) ids.push(await insertCall(fresh.db, team, key, new Date(at)));
      const before = (await fresh.db.query("select * from public.api_calls order by id")).rows;
      for (const m of all.slice(mine)) fs.writeFileSync(path.join(dir, `${m.version}_${m.name}.sql`), m.sql);
      await migrate(fresh.db, { installAuthStandIn: true, dir });
      const after = (await fresh.db.query("select * from public.api_calls order by id")).rows;
      expect(after).toEqual(before);
      expect((await fresh.db.query<{ n: number }>("select count(*)::int as n from public.api_calls_default")).rows[0]!.n).toBe(0);
      // New ids continue after the moved ones.
      const next = await insertCall(fresh.db, team, key, new Date());
      expect(next).toBeGreaterThan(Math.max(...ids));
      expect((await fresh.db.query<{ r: string | null }>("select to_regclass('public.api_calls_unpartitioned')::text as r")).rows[0]!.r).toBeNull();
    } finally {
      if (fresh.dispose) await fresh.dispose();
      else await fresh.db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

