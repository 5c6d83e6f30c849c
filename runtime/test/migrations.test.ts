import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServerVersion, openDatabase } from '../src/db/database.ts';
import { createTestDatabase } from './support/test-database.ts';

const migrations = fileURLToPath(new URL('../migrations', import.meta.url));

/** The committed migrations up to and including `last` (by journal index), in a folder of their own. */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-migrations-'));
  cpSync(migrations, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number }[] };
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx <= last) }));
  return dir;
}

describe('migrations 0021 and 0022: memberships move to one row per customer, with their history and counts', () => {
  let url: string;
  let sql: postgres.Sql;
  const ws = 'ws-migrate';
  const [s1, s2] = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];

  beforeAll(async () => {
    url = await createTestDatabase();
    sql = postgres(url, { max: 2, onnotice: () => {} });
    const upTo20 = migrationsUpTo(20);
    try {
      await migrate(drizzle(sql), { migrationsFolder: upTo20 });
    } finally {
      rmSync(upTo20, { recursive: true, force: true });
    }
    // Data as the one-row-per-membership layout kept it.
    await sql`insert into segments (id, workspace_id, name, rules, status) values
      (${s1}, ${ws}, 'Pro', '{"kind":"group","match":"all","rules":[]}', 'ready'), (${s2}, ${ws}, 'Buyers', '{"kind":"group","match":"all","rules":[]}', 'ready')`;
    await sql`insert into segment_members (segment_id, customer_id, workspace_id, entered_at) values
      (${s1}, 'c1', ${ws}, '2026-11-01T10:00:00Z'), (${s2}, 'c1', ${ws}, '2026-11-02T10:00:00Z'), (${s1}, 'c2', ${ws}, '2026-11-03T10:00:00Z')`;
    await sql`insert into segment_rechecks (customer_id, workspace_id, due_at) values ('c1', ${ws}, '2026-12-01T00:00:00Z'), ('c3', ${ws}, '2026-12-02T00:00:00Z')`;
    await sql`insert into events (workspace_id, message_id, customer_id, type, name, properties, timestamp, received_at) values
      (${ws}, 'segments:c1:1:a', 'c1', 'track', 'Segments Changed', ${JSON.stringify({
        entered: [
          { segmentId: s1, segment: 'Pro' },
          { segmentId: s2, segment: 'Buyers' },
        ],
        exited: [],
      })}::jsonb, '2026-11-01T10:00:00Z', now()),
      (${ws}, 'segments:c1:2:b', 'c1', 'track', 'Segments Changed', ${JSON.stringify({ entered: [], exited: [{ segmentId: s2, segment: 'Buyers' }] })}::jsonb, '2026-11-05T10:00:00Z', now()),
      (${ws}, 'order-1', 'c1', 'track', 'Order Completed', '{}', '2026-11-01T09:00:00Z', now())`;
    // Then every migration since, as a runtime applies them when it starts.
    await (await openDatabase(url, { max: 1 })).close();
  });
  afterAll(async () => {
    await sql?.end();
  });

  const numberOf = async (id: string) => (await sql`select number from segments where id = ${id}`)[0]!.number as number;

  it('keeps every membership with when it began (segments by number, entry times beside them), and every recheck', async () => {
    const [n1, n2] = [await numberOf(s1), await numberOf(s2)];
    expect(n1).not.toBe(n2);
    const rows =
      await sql`select customer_id, segments, array(select to_json(t) #>> '{}' from unnest(entered_at) t) as entered_at, to_json(recheck_at) #>> '{}' as recheck_at from customer_segments order by customer_id`;
    expect(rows.map((r) => [r.customer_id, r.segments, r.entered_at.map((t: string) => new Date(t).toISOString()), r.recheck_at && new Date(r.recheck_at).toISOString()])).toEqual([
      ['c1', [s1, s2].sort().map((s) => (s === s1 ? n1 : n2)), [s1, s2].sort().map((s) => (s === s1 ? '2026-11-01T10:00:00.000Z' : '2026-11-02T10:00:00.000Z')), '2026-12-01T00:00:00.000Z'],
      ['c2', [n1], ['2026-11-03T10:00:00.000Z'], null],
      ['c3', [], [], '2026-12-02T00:00:00.000Z'],
    ]);
  });

  it('turns the timeline events into history: a membership that ended, with when it began; other events left alone', async () => {
    const exits = await sql`select customer_id, segments, array(select to_json(t) #>> '{}' from unnest(entered_at) t) as entered_at, to_json(at) #>> '{}' as at from segment_exits order by at`;
    expect(exits.map((r) => [r.customer_id, r.segments, r.entered_at.map((t: string) => new Date(t).toISOString()), new Date(r.at).toISOString()])).toEqual([
      ['c1', [await numberOf(s2)], ['2026-11-01T10:00:00.000Z'], '2026-11-05T10:00:00.000Z'],
    ]);
    expect((await sql`select name from events order by id`).map((r) => r.name)).toEqual(['Order Completed']);
    expect(await sql`select 1 from pg_tables where tablename in ('segment_members', 'segment_rechecks', 'segment_changes')`).toHaveLength(0);
  });

  it('counts from the rows; the statements that change memberships keep them from then on (no trigger left)', async () => {
    const counts = async () => Object.fromEntries((await sql`select segment_id, sum(members)::int as n from segment_counts group by 1`).map((r) => [r.segment_id, r.n]));
    expect(await counts()).toEqual({ [s1]: 2, [s2]: 1 });
    expect(await sql`select 1 from pg_trigger where tgrelid = 'customer_segments'::regclass and not tgisinternal`).toHaveLength(0);
    expect(await sql`select 1 from pg_proc where proname = 'segment_counts_changed'`).toHaveLength(0);
  });
});

describe('the PostgreSQL server', () => {
  it('is refused, naming the version it runs, when older than 18 (membership upkeep counts from `returning old`)', async () => {
    expect(() => checkServerVersion(170_004, '17.4')).toThrow('Waymark needs PostgreSQL 18 or later; the server at DATABASE_URL runs PostgreSQL 17.4');
    expect(() => checkServerVersion(180_000, '18.0')).not.toThrow();
    // The server the tests run on is accepted (openDatabase checks it before migrating).
    const db = await openDatabase(await createTestDatabase(), { max: 1 });
    const [server] = await db.sql<{ num: number }[]>`select current_setting('server_version_num')::int as num`;
    expect(server!.num).toBeGreaterThanOrEqual(180_000);
    await db.close();
  });
});
