import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVITY_ACTIONS } from "@/lib/activity/activity-actions";
import { ERROR_STATUS } from "@/lib/errors";
import { JOB_STATUSES } from "@/lib/jobs/queue";
import { DEFAULT_KEY_SCOPES, KEY_SCOPES, MANAGE_SCOPE } from "@/lib/keys/key-input.schema";
import { KEY_STATUSES } from "@/lib/keys/key-view.schema";
import { PLAN_IDS } from "@/lib/plans";
import { AUDIT_STATUSES } from "@/lib/presence-audit/audit-output.schema";
import { refusalCode, VERIFY_OUTCOMES } from "@/lib/public-api/verify";
import { INVITABLE_ROLES, TEAM_ROLES } from "@/lib/schemas/team.schema";
import { STATUS_CLASSES } from "@/lib/usage/usage.schema";
import { statusClassOf } from "@/components/usage/usage-format";
import { testDatabases, type TestDatabase } from "../databases";

/**
 * Lists written both in SQL and in TypeScript, read back from the database's own catalog (check
 * constraints, function sources, the functions themselves) and compared with their TypeScript
 * twins. Change one side only and this fails.
 */

const literals = (sql: string) => [...sql.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();

/** Functions allowed to run without `set search_path`: plain SQL the planner inlines per row. */
const INLINED_HELPERS = ["key_status", "status_class"];

describe.each(testDatabases())("catalog on $name", ({ open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => t?.dispose());

  /** The literals of the column's own check constraint (PostgreSQL names it `<table>_<column>_check`). */
  async function checkValues(table: string, column: string): Promise<string[]> {
    const { rows } = await t.db.query<{ def: string }>(
      `select pg_get_constraintdef(c.oid) as def
         from pg_constraint c join pg_class r on r.oid = c.conrelid join pg_namespace n on n.oid = r.relnamespace
        where n.nspname = 'public' and r.relname = $1 and c.contype = 'c' and c.conname = $2`,
      [table, `${table}_${column}_check`],
    );
    expect(rows, `${table}.${column} check constraint`).toHaveLength(1);
    return sorted(literals(rows[0]!.def));
  }

  async function functionSource(schema: string, name: string): Promise<string> {
    const { rows } = await t.db.query<{ src: string }>(
      "select p.prosrc as src from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1 and p.proname = $2",
      [schema, name],
    );
    expect(rows, `${schema}.${name}`).toHaveLength(1);
    return rows[0]!.src;
  }

  it("scopes: api_keys.scopes = KEY_SCOPES", async () => {
    expect(await checkValues("api_keys", "scopes")).toEqual(sorted(KEY_SCOPES));
  });

  it("scopes: keys:manage is in both lists, and never in a default (column default = DEFAULT_KEY_SCOPES)", async () => {
    expect(KEY_SCOPES).toContain(MANAGE_SCOPE);
    expect(await checkValues("api_keys", "scopes")).toContain("keys:manage");
    const { rows } = await t.db.query<{ def: string }>(
      `select pg_get_expr(d.adbin, d.adrelid) as def from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
        where d.adrelid = 'public.api_keys'::regclass and a.attname = 'scopes'`,
    );
    expect(sorted(literals(rows[0]!.def))).toEqual(sorted(DEFAULT_KEY_SCOPES));
    expect(DEFAULT_KEY_SCOPES).not.toContain(MANAGE_SCOPE);
  });

  it("plans: teams.plan = PLAN_IDS", async () => {
    expect(await checkValues("teams", "plan")).toEqual(sorted(PLAN_IDS));
  });

  it("activity actions: audit_log.action = ACTIVITY_ACTIONS (key and team events)", async () => {
    expect(await checkValues("audit_log", "action")).toEqual(sorted(ACTIVITY_ACTIONS));
  });

  it("roles: team_members.role = TEAM_ROLES, invitations.role = INVITABLE_ROLES", async () => {
    expect(await checkValues("team_members", "role")).toEqual(sorted(TEAM_ROLES));
    expect(await checkValues("invitations", "role")).toEqual(sorted(INVITABLE_ROLES));
  });

  it("states: audits.status = AUDIT_STATUSES, jobs.status = JOB_STATUSES, usage_daily.status_class = STATUS_CLASSES", async () => {
    expect(await checkValues("audits", "status")).toEqual(sorted(AUDIT_STATUSES));
    expect(await checkValues("jobs", "status")).toEqual(sorted(JOB_STATUSES));
    expect(await checkValues("usage_daily", "status_class")).toEqual(sorted(STATUS_CLASSES));
  });

  it("key statuses: what key_status can answer = KEY_STATUSES", async () => {
    const src = await functionSource("public", "key_status");
    const answers = [...src.matchAll(/(?:then|else)\s+'([^']+)'/g)].map((m) => m[1]!);
    expect(sorted(answers)).toEqual(sorted(KEY_STATUSES));
  });

  it("verification outcomes: the refusals verify_api_call sets = VERIFY_OUTCOMES without ok", async () => {
    const src = await functionSource("public", "verify_api_call");
    const codes = [...src.matchAll(/v_code := '([^']+)'/g)].map((m) => m[1]!);
    expect(sorted(codes)).toEqual(sorted(VERIFY_OUTCOMES.filter((o) => o !== "ok")));
    expect(src, "verify_api_call asks key_status for the lifecycle order").toMatch(/public\.key_status\(k, v_now\)/);
  });

  it("error code → HTTP status: private.api_error_status = ERROR_STATUS for every refusal", async () => {
    for (const outcome of VERIFY_OUTCOMES.filter((o) => o !== "ok")) {
      const code = refusalCode(outcome);
      const { rows } = await t.db.query<{ status: number }>("select private.api_error_status($1)::int as status", [outcome]);
      expect(rows[0]!.status, outcome).toBe(ERROR_STATUS[code]);
    }
  });

  it("status classes: private.status_class = statusClassOf (the usage pages' twin) for every status", async () => {
    const { rows } = await t.db.query<{ status: number; class: string }>(
      "select s as status, private.status_class(s::smallint, true) as class from generate_series(100, 599) s",
    );
    expect(rows).toHaveLength(500);
    for (const r of rows) expect(r.class, String(r.status)).toBe(statusClassOf(r.status));
  });

  it("every function but the inlined helpers pins search_path", async () => {
    const { rows } = await t.db.query<{ name: string; lang: string; definer: boolean }>(
      `select p.proname as name, l.lanname as lang, p.prosecdef as definer
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
        where n.nspname in ('public', 'private')
          and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`,
    );
    expect(sorted(rows.map((r) => r.name))).toEqual(sorted(INLINED_HELPERS));
    for (const r of rows) expect({ lang: r.lang, definer: r.definer }, r.name).toEqual({ lang: "sql", definer: false });
  });

  it("every policy calls auth.uid() as (select auth.uid()), once per statement", async () => {
    const { rows } = await t.db.query<{ name: string; expr: string }>(
      "select policyname as name, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr from pg_policies where schemaname = 'public'",
    );
    expect(rows.length).toBeGreaterThan(10);
    const bare = rows.filter((r) => /auth\.uid\(\)/.test(r.expr.replace(/\(\s*SELECT auth\.uid\(\) AS uid\s*\)/gi, "")));
    expect(bare.map((r) => r.name)).toEqual([]);
  });
});
