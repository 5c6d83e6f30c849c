import type { JourneyDocumentInput, SegmentSummary } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourney } from '../src/services/journeys/journey-service.ts';
import { sql } from 'drizzle-orm';
import { foldSegmentCounts } from '../src/services/segments/segment-service.ts';
import { deleteMemberships, membershipChanges } from '../src/services/segments/membership-sql.ts';
import { createSegmentWrites, persistSegments } from '../src/services/segments/segment-upkeep.ts';
import { eventually } from './support/test-database.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const day = 86_400_000;
const start = Date.parse('2026-11-25T22:00:00Z');

/** Starts when a customer enters `segmentId` (SPEC E5) → in-app "Welcome to {{ event.segment }}" → exit. */
const onEntering = (segmentId: string): JourneyDocumentInput => ({
  schemaVersion: 1,
  id: 'on-entering',
  name: 'Welcome pro buyers',
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        position: { x: 0, y: 0 },
        data: { entry: { kind: 'segment-change', segmentId, change: 'entered' } },
      },
      {
        id: 'hello',
        type: 'send',
        position: { x: 0, y: 100 },
        data: { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'Welcome to {{ event.segment }}', body: 'Thanks!' } } },
      },
    ],
    edges: [{ id: 'a', source: 'start', target: 'hello' }],
  },
});

describe('segments: membership kept current on every event, and on time (issue 15)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  const path = (rest = '') => `/api/workspaces/${rt.workspaceId}/segments${rest}`;
  const ids: Record<string, string> = {};
  const customerOf = async (userId: string) => (await rt.sql`select customer_id from customer_identities where kind = 'user_id' and value = ${userId}`)[0]!.customer_id as string;
  const membersOf = async (segment: string) => (await owner('GET', path(`/${ids[segment]}/members`))).body.items.map((m: { userId: string }) => m.userId).sort();
  /** Membership changes in the customer's history (entries from their row and `segment_exits`, exits from `segment_exits`): [change, segment, when (ms since the epoch)]. */
  const history = async (who: string, by: 'userId' | 'customer' = 'userId') =>
    (
      await rt.db.execute<{ entered: string[]; exited: string[]; at: string }>(
        sql`select entered, exited, at from (${membershipChanges(by === 'customer' ? who : await customerOf(who))}) c order by at`,
      )
    ).flatMap((row) =>
      (['entered', 'exited'] as const).flatMap((change) =>
        (row[change] as string[]).map((id) => [change === 'entered' ? 'Segment Entered' : 'Segment Exited', Object.keys(ids).find((name) => ids[name] === id), new Date(row.at).getTime()]),
      ),
    );
  /** Writes membership changes in a transaction left open until `commit()`; resolves once they are written. */
  const writtenAndHeld = async (writes: ReturnType<typeof createSegmentWrites>) => {
    let commit = () => {};
    const held = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let written = () => {};
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const done = rt.db.transaction(async (tx) => {
      await persistSegments(tx, writes);
      written();
      await held;
    });
    await wrote;
    return { commit, done };
  };
  const settle = () => rt.eventually(async () => (await rt.pendingEvents()) === 0);
  const ready = (id: string) => rt.eventually(async () => ((await owner('GET', path(`/${id}`))).body as SegmentSummary).status === 'ready');

  beforeAll(async () => {
    rt = await startTestRuntime(new Date(start).toISOString());
    owner = await rt.signIn();
    const define = async (name: string, rules: object) => {
      const response = await owner('POST', path(), { name, rules });
      expect(response.status).toBe(201);
      ids[name] = response.body.id;
      await ready(response.body.id);
    };
    await define('Recent buyers', { kind: 'group', match: 'all', rules: [{ kind: 'event-count', event: 'Order Completed', comparison: 'at-least', count: 1, within: { amount: 7, unit: 'days' } }] });
    await define('Pro', { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] });
    await define('Pro recent buyers', {
      kind: 'group',
      match: 'all',
      rules: [
        { kind: 'segment', segmentId: ids.Pro, state: 'in' },
        { kind: 'segment', segmentId: ids['Recent buyers'], state: 'in' },
      ],
    });
  });
  afterAll(async () => rt?.stop());

  it('an identify and a track change exactly the segments they can; a journey on "entered segment" starts in the same batch', async () => {
    const journey = (await rt.publish(onEntering(ids['Pro recent buyers']!))).id;
    const calls = [
      { type: 'identify', userId: 'ada', messageId: 'i-ada', traits: { plan: 'pro' } },
      { type: 'identify', userId: 'bob', messageId: 'i-bob', traits: { plan: 'free' } },
      { type: 'track', userId: 'ada', event: 'Order Completed', messageId: 'o-ada-1', properties: { total: 40 } },
      { type: 'track', userId: 'bob', event: 'Order Completed', messageId: 'o-bob-1' },
    ];
    const sent = rt.clock.now();
    expect((await rt.ingest('batch', { batch: calls })).status).toBe(200);
    await settle();
    expect(await membersOf('Recent buyers')).toEqual(['ada', 'bob']);
    expect(await membersOf('Pro')).toEqual(['ada']);
    expect(await membersOf('Pro recent buyers')).toEqual(['ada']);
    // Entered Pro with the identify, then Recent buyers and (through both) Pro recent buyers with the order, in one batch.
    const entered = await history('ada');
    expect(entered.map(([name, segment]) => `${name} ${segment}`)).toEqual(['Segment Entered Pro', 'Segment Entered Recent buyers', 'Segment Entered Pro recent buyers']);
    expect(new Set(entered.map(([, , at]) => at)).size).toBe(1);
    expect(entered[0]![2]).toBeGreaterThanOrEqual(sent);
    // The journey ran in the batch that made her match: its message is there, and nothing was queued for later.
    const [message] = await rt.messagesOf(journey);
    expect(message).toMatchObject({ status: 'sent', content: { title: 'Welcome to Pro recent buyers' } });
    expect((await rt.runsOf(journey)).map((r) => r.customerId)).toEqual([await customerOf('ada')]);
    expect(await rt.sql`select 1 from event_queue`).toHaveLength(0);
  });

  it('"in the last 7 days" ends when the window passes, across a day boundary, at that virtual time — and a new order brings her back', async () => {
    // Her order (and Bob's) leaves the window 7 days after it, to the millisecond: 22:00 UTC on a later day.
    const [order] = await rt.sql`select timestamp from events where message_id = 'o-ada-1'`;
    const due = new Date(order!.timestamp).getTime() + 7 * day + 1;
    await rt.clock.setTime(due - 1_000);
    await rt.clock.tick(500);
    await settle();
    expect(await membersOf('Recent buyers')).toEqual(['ada', 'bob']);
    // At the due instant, with the clock standing still: the event loop finds the recheck due and applies it at that time.
    await rt.clock.setTime(due);
    await eventually(async () => (await membersOf('Recent buyers')).length === 0, { timeoutMs: 20_000 });
    expect(await membersOf('Pro recent buyers')).toEqual([]);
    expect(await membersOf('Pro')).toEqual(['ada']);
    const exits = (await history('ada')).filter(([name]) => name === 'Segment Exited');
    expect(exits).toEqual([
      ['Segment Exited', 'Recent buyers', due],
      ['Segment Exited', 'Pro recent buyers', due],
    ]);
    // Nothing left that time alone could change for her: no recheck waits.
    expect(await rt.sql`select 1 from customer_segments where customer_id = ${await customerOf('ada')} and recheck_at is not null`).toHaveLength(0);

    // She orders again a day later: back in, and the journey greets her again.
    await rt.clock.setTime(due + day);
    expect((await rt.ingest('track', { userId: 'ada', event: 'Order Completed', messageId: 'o-ada-2' })).status).toBe(200);
    await settle();
    expect(await membersOf('Pro recent buyers')).toEqual(['ada']);
    expect((await history('ada')).map(([name, segment]) => `${name} ${segment}`)).toEqual([
      'Segment Entered Pro',
      'Segment Entered Recent buyers',
      'Segment Entered Pro recent buyers',
      'Segment Exited Recent buyers',
      'Segment Exited Pro recent buyers',
      'Segment Entered Recent buyers',
      'Segment Entered Pro recent buyers',
    ]);
    // Her page: the segments she is in now (by name, since when) and the changes, newest first.
    const view = (await owner('GET', `/api/workspaces/${rt.workspaceId}/customers/${await customerOf('ada')}`)).body;
    expect(view.segments.map((s: { name: string }) => s.name)).toEqual(['Pro', 'Pro recent buyers', 'Recent buyers']);
    expect(Date.parse(view.segments.find((s: { name: string }) => s.name === 'Recent buyers').since)).toBe(due + day);
    expect(view.segmentHistory.map((c: { change: string; segment: string; at: string }) => `${c.change} ${c.segment} ${Date.parse(c.at) === due ? 'at due' : ''}`.trim())).toEqual([
      'entered Recent buyers',
      'entered Pro recent buyers',
      'exited Recent buyers at due',
      'exited Pro recent buyers at due',
      'entered Pro',
      'entered Recent buyers',
      'entered Pro recent buyers',
    ]);
  });

  it('a new segment is worked out from every customer in the background, with progress; members page newest first, with a total', async () => {
    // While the marketer writes the rules: how many match now, and who (exact in a workspace this small).
    const estimate = await owner('POST', path('/estimate'), { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'free' }] } });
    expect(estimate.body).toMatchObject({ matching: 1, checked: 2, total: 2, exact: true, sample: [{ userId: 'bob' }] });
    const created = await owner('POST', path(), { name: 'Free plan', rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'free' }] } });
    expect(created.body).toMatchObject({ status: 'building', build: { scanned: 0, total: 2 } });
    ids['Free plan'] = created.body.id;
    await ready(created.body.id);
    expect(await owner('GET', path(`/${created.body.id}`))).toMatchObject({ body: { status: 'ready', members: 1, build: null } });
    expect((await owner('GET', path(`/${created.body.id}/members?limit=1`))).body).toMatchObject({ total: 1, items: [{ userId: 'bob' }] });
    // A member who joins an hour later comes first; a page further on has the earlier one.
    await rt.clock.setTime(rt.clock.now() + 3_600_000);
    expect((await rt.ingest('identify', { userId: 'cara', traits: { plan: 'free' } })).status).toBe(200);
    await settle();
    const page = async (query: string) => (await owner('GET', path(`/${created.body.id}/members?${query}`))).body as { total: number; items: { userId: string; enteredAt: string }[] };
    const members = await page('limit=50');
    expect(members.items.map((m) => m.userId)).toEqual(['cara', 'bob']);
    expect(Date.parse(members.items[0]!.enteredAt) - Date.parse(members.items[1]!.enteredAt)).toBeGreaterThanOrEqual(3_600_000);
    expect(await page('limit=1&offset=1')).toMatchObject({ total: 2, items: [{ userId: 'bob' }] });
    const list = (await owner('GET', path())).body as SegmentSummary[];
    expect(list.map((s) => [s.name, s.members])).toEqual([
      ['Free plan', 2],
      ['Pro', 1],
      ['Pro recent buyers', 1],
      ['Recent buyers', 1],
    ]);
  });

  it('refuses what a segment cannot hold, naming the field; a name taken; a cycle; deleting what is in use', async () => {
    const rules = (rule: object) => ({ kind: 'group', match: 'all', rules: [rule] });
    const refused = [
      [await owner('POST', path(), { name: ' ', rules: rules({ kind: 'trait', path: 'plan', operator: 'exists' }) }), 400, '"name": Name the segment.'],
      [
        await owner('POST', path(), { name: 'Trigger', rules: rules({ kind: 'event-property', path: 'x', operator: 'exists' }) }),
        400,
        `"rules.rules.0": A segment has no trigger event: compare a trait, or count the customer's events instead.`,
      ],
      [await owner('POST', path(), { name: 'pro', rules: rules({ kind: 'trait', path: 'plan', operator: 'exists' }) }), 409, 'A segment is already called "pro".'],
      [await owner('POST', path(), { name: 'Ghost', rules: rules({ kind: 'segment', segmentId: 'nope', state: 'in' }) }), 400, '"rules": no segment "nope" in this workspace.'],
    ] as const;
    for (const [response, status, message] of refused) expect([response.status, response.body.error.message]).toEqual([status, message]);
    const pro = (await owner('GET', path(`/${ids.Pro}`))).body as SegmentSummary;
    const cycle = await owner('PUT', path(`/${ids.Pro}`), { name: 'Pro', rules: rules({ kind: 'segment', segmentId: ids['Pro recent buyers'], state: 'in' }), revision: pro.revision });
    expect([cycle.status, cycle.body.error.message]).toEqual([400, '"rules": a segment cannot contain itself, directly or through other segments.']);
    expect((await owner('DELETE', path(`/${ids.Pro}`))).body.error).toMatchObject({ code: 'segment-in-use', message: '"Pro recent buyers" uses this segment; change it first.' });
    expect((await owner('DELETE', path(`/${ids['Pro recent buyers']}`))).body.error.message).toBe('The journey "Welcome pro buyers" uses this segment; change or archive it first.');
    const [free] = await rt.sql`select number from segments where id = ${ids['Free plan']!}`;
    const freeMembers = (await rt.sql`select customer_id from customer_segments where segments @> array[${free!.number}::int4] order by 1`).map((r) => r.customer_id);
    expect(freeMembers.length).toBeGreaterThan(0);
    expect((await owner('DELETE', path(`/${ids['Free plan']}`))).status).toBe(204);
    // No row keeps the number of a segment that is gone; each member's history keeps the membership, ended at the deletion.
    expect(await rt.sql`select 1 from customer_segments m, unnest(m.segments) s where not exists (select 1 from segments g where g.number = s)`).toHaveLength(0);
    expect((await rt.sql`select customer_id from segment_exits where segments @> array[${free!.number}::int4] order by 1`).map((r) => r.customer_id)).toEqual(freeMembers);
  });

  it('a segment deleted while a batch enters customers into it waits for the batch, and no row keeps its number', async () => {
    const created = await owner('POST', path(), { name: 'Gold', rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'gold' }] } });
    await ready(created.body.id);
    const [{ number }] = (await rt.sql`select number from segments where id = ${created.body.id}`) as unknown as [{ number: number }];
    const writes = createSegmentWrites();
    writes.changes.push({
      workspaceId: rt.workspaceId,
      segmentId: created.body.id,
      segmentNumber: number,
      segmentName: 'Gold',
      customerId: 'race-gold',
      change: 'entered',
      at: new Date().toISOString(),
    });
    // A batch that evaluated the segment before it was deleted writes its entry and holds its transaction open.
    const batch = await writtenAndHeld(writes);
    let deleted = false;
    const deletion = owner('DELETE', path(`/${created.body.id}`)).then((response) => {
      deleted = true;
      return response;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(deleted).toBe(false);
    batch.commit();
    await batch.done;
    expect((await deletion).status).toBe(204);
    expect(await rt.sql`select 1 from customer_segments where customer_id = 'race-gold' and segments @> array[${number}::int4]`).toHaveLength(0);
    expect(await rt.sql`select 1 from segment_exits where customer_id = 'race-gold' and segments @> array[${number}::int4]`).toHaveLength(1);
    expect(await rt.sql`select 1 from segment_counts where segment_id = ${created.body.id}`).toHaveLength(0);
    // A batch that evaluated it before the deletion but writes after: nothing is written for a segment that is gone, not even an empty row.
    const late = createSegmentWrites();
    late.changes.push({ ...writes.changes[0]!, customerId: 'late-gold' });
    await rt.db.transaction((tx) => persistSegments(tx, late));
    expect(await rt.sql`select 1 from customer_segments where customer_id = 'late-gold'`).toHaveLength(0);
    await rt.db.transaction((tx) => deleteMemberships(tx, 'race-gold'));
    await rt.sql`delete from segment_exits where customer_id = 'race-gold'`;
  });

  it('two writers entering a customer without a row into the same segment hold it once and count it once', async () => {
    const [{ number }] = (await rt.sql`select number from segments where id = ${ids.Pro!}`) as unknown as [{ number: number }];
    const counted = async () => (await rt.sql`select coalesce(sum(members), 0)::int as n from segment_counts where segment_id = ${ids.Pro!}`)[0]!.n as number;
    const before = await counted();
    const enter = () => {
      const writes = createSegmentWrites();
      writes.changes.push({ workspaceId: rt.workspaceId, segmentId: ids.Pro!, segmentNumber: number, segmentName: 'Pro', customerId: 'race-1', change: 'entered', at: new Date().toISOString() });
      return writes;
    };
    // The first writer creates the row and holds its transaction open; the second waits on that row, then finds it.
    const first = await writtenAndHeld(enter());
    const second = rt.db.transaction((tx) => persistSegments(tx, enter()));
    await new Promise((r) => setTimeout(r, 300));
    first.commit();
    await Promise.all([first.done, second]);
    const [row] = await rt.sql`select segments, cardinality(entered_at) as times from customer_segments where customer_id = 'race-1'`;
    expect([row!.segments, row!.times]).toEqual([[number], 1]);
    expect(await counted()).toBe(before + 1);
    await rt.db.transaction((tx) => deleteMemberships(tx, 'race-1'));
    expect(await counted()).toBe(before);
  });

  it("two writers of one customer's row each apply their changes to the row as the other left it, and count only what they changed", async () => {
    const numbers = Object.fromEntries(
      ((await rt.sql`select id, number from segments where id in ${rt.sql([ids.Pro!, ids['Recent buyers']!, ids['Pro recent buyers']!])}`) as unknown as { id: string; number: number }[]).map((r) => [
        r.id,
        r.number,
      ]),
    );
    const [pro, recent, both] = [ids.Pro!, ids['Recent buyers']!, ids['Pro recent buyers']!];
    const counts = async () =>
      Object.fromEntries(
        (
          (await rt.sql`select segment_id, coalesce(sum(members), 0)::int as n from segment_counts where segment_id in ${rt.sql([pro, recent, both])} group by segment_id`) as unknown as {
            segment_id: string;
            n: number;
          }[]
        ).map((r) => [r.segment_id, r.n]),
      );
    const change = (segmentId: string, kind: 'entered' | 'exited') => ({
      workspaceId: rt.workspaceId,
      segmentId,
      segmentNumber: numbers[segmentId]!,
      segmentName: '',
      customerId: 'race-2',
      change: kind,
      at: new Date().toISOString(),
    });
    const writes = (...changes: ReturnType<typeof change>[]) => {
      const list = createSegmentWrites();
      list.changes.push(...changes);
      return list;
    };
    await rt.db.transaction((tx) => persistSegments(tx, writes(change(recent, 'entered'))));
    const before = await counts();
    // The first enters Pro and the pro buyers' segment and holds its transaction open; the second,
    // written from the row as it was (Recent buyers only), enters Pro too and leaves Recent buyers.
    const first = await writtenAndHeld(writes(change(pro, 'entered'), change(both, 'entered')));
    const second = rt.db.transaction((tx) => persistSegments(tx, writes(change(pro, 'entered'), change(recent, 'exited'))));
    await new Promise((r) => setTimeout(r, 300));
    first.commit();
    await Promise.all([first.done, second]);
    const [row] = await rt.sql`select segments, cardinality(entered_at) as times from customer_segments where customer_id = 'race-2'`;
    expect([row!.segments, row!.times]).toEqual([[numbers[pro], numbers[both]], 2]);
    const [exit] = await rt.sql`select segments from segment_exits where customer_id = 'race-2'`;
    expect(exit!.segments).toEqual([numbers[recent]]);
    const after = await counts();
    expect([after[pro]! - (before[pro] ?? 0), after[both]! - (before[both] ?? 0), after[recent]! - before[recent]!]).toEqual([1, 1, -1]);
    await rt.db.transaction((tx) => deleteMemberships(tx, 'race-2'));
    await rt.sql`delete from segment_exits where customer_id = 'race-2'`;
  });

  it('each count is kept exact by the database as members come and go, from any connection, and rows of connections gone fold into one', async () => {
    const counted = async () =>
      Object.fromEntries((await rt.sql`select segment_id, sum(members)::int as n from segment_counts group by segment_id having sum(members) <> 0 order by 1`).map((r) => [r.segment_id, r.n]));
    const actual = async () =>
      Object.fromEntries(
        (await rt.sql`select g.id as segment_id, count(*)::int as n from customer_segments, unnest(segments) s join segments g on g.number = s group by g.id order by 1`).map((r) => [
          r.segment_id,
          r.n,
        ]),
      );
    expect(await counted()).toEqual(await actual());
    expect(Object.keys(await actual()).length).toBeGreaterThan(1);
    // A connection that wrote and is gone (no backend has this pid): its rows fold into shard 0, the sum unchanged.
    const pro = ids.Pro!;
    await rt.sql`insert into segment_counts (segment_id, shard, members) values (${pro}, 2000000001, 5), (${pro}, 0, -5) on conflict (segment_id, shard) do update set members = segment_counts.members + excluded.members`;
    expect(await foldSegmentCounts(rt.db)).toBeGreaterThan(0);
    expect(await rt.sql`select 1 from segment_counts where shard = 2000000001`).toHaveLength(0);
    expect(await counted()).toEqual(await actual());
    expect((await owner('GET', path(`/${pro}`))).body.members).toBe((await actual())[pro]);

    // A merge (an anonymous pro buyer identified as an existing customer) and an erasure keep them exact too.
    await rt.ingest('identify', { anonymousId: 'anon-zoe', messageId: 'i-zoe', traits: { plan: 'pro' } });
    await rt.ingest('track', { anonymousId: 'anon-zoe', event: 'Order Completed', messageId: 'o-zoe' });
    await rt.ingest('identify', { userId: 'yan', messageId: 'i-yan', traits: { plan: 'pro' } });
    await settle();
    expect(await membersOf('Pro')).toEqual(expect.arrayContaining(['yan']));
    const before = await actual();
    const [zoe] = await rt.sql`select customer_id from customer_identities where kind = 'anonymous_id' and value = 'anon-zoe'`;
    const zoeEntered = (await history(zoe!.customer_id, 'customer')).filter(([change]) => change === 'Segment Entered');
    expect(zoeEntered.map(([, segment]) => segment)).toEqual(['Pro', 'Recent buyers', 'Pro recent buyers']);
    const yanPro = (await history('yan')).find(([change, segment]) => change === 'Segment Entered' && segment === 'Pro')![2];
    await rt.clock.tick(60_000);
    expect(await rt.ingest('identify', { anonymousId: 'anon-zoe', userId: 'yan', messageId: 'i-zoe-yan' })).toMatchObject({ status: 200 });
    await settle();
    expect(await counted()).toEqual(await actual());
    expect((await actual())[pro]).toBe(before[pro]! - 1);
    // One person now: Yan keeps the memberships Zoe had, from when she entered them (Pro from the
    // earlier of the two) — no exit at the merge, and no new entry that would greet them again.
    const merged = await history('yan');
    expect(merged.filter(([change]) => change === 'Segment Exited')).toEqual([]);
    const bySegment = (list: unknown[][]) => [...list].sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(bySegment(merged)).toEqual(bySegment([...zoeEntered.filter(([, segment]) => segment !== 'Pro'), ['Segment Entered', 'Pro', Math.min(yanPro as number, zoeEntered[0]![2] as number)]]));
    expect((await owner('DELETE', `/api/workspaces/${rt.workspaceId}/customers/${await customerOf('yan')}`)).status).toBe(204);
    expect(await counted()).toEqual(await actual());
    expect((await actual())[pro]).toBe(before[pro]! - 2);
  });

  it('leaving a segment ends runs: one the exit criteria name (exited early), and the one an "enters segment" journey entered by; a journey naming no such segment is not published', async () => {
    const waitThenSend = (id: string, entry: object, settings: object): JourneyDocumentInput => ({
      schemaVersion: 1,
      id,
      name: id,
      settings,
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: entry as never } },
          { id: 'later', type: 'wait', position: { x: 0, y: 100 }, data: { wait: { kind: 'duration', duration: { amount: 3, unit: 'days' } } } },
          { id: 'hello', type: 'send', position: { x: 0, y: 200 }, data: { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'Hi', body: 'Still pro?' } } } },
        ],
        edges: [
          { id: 'a', source: 'start', target: 'later' },
          { id: 'b', source: 'later', target: 'hello' },
        ],
      },
    });
    const onPro = (await rt.publish(waitThenSend('on-pro', { kind: 'segment-change', segmentId: ids.Pro, change: 'entered' }, { exitCriteria: { whenEntryRulesStopMatching: true } }))).id;
    const checkout = (await rt.publish(waitThenSend('checkout', { kind: 'event', event: 'Checkout Started' }, { exitCriteria: { segments: [{ segmentId: ids.Pro }] } }))).id;
    expect(
      (
        await rt.ingest('batch', {
          batch: [
            { type: 'identify', userId: 'cy', messageId: 'i-cy-1', traits: { plan: 'pro' } },
            { type: 'track', userId: 'cy', event: 'Checkout Started', messageId: 'c-cy' },
          ],
        })
      ).status,
    ).toBe(200);
    await settle();
    const runs = async () =>
      [...(await rt.runsOf(onPro)), ...(await rt.runsOf(checkout))].map((r) => [r.journeyId === onPro ? 'on-pro' : 'checkout', r.status, (r.state as { endReason?: string }).endReason ?? null]).sort();
    expect(await runs()).toEqual([
      ['checkout', 'active', null],
      ['on-pro', 'active', null],
    ]);
    // She downgrades: out of Pro, and out of both journeys before their wait ends; nothing is sent.
    expect((await rt.ingest('identify', { userId: 'cy', messageId: 'i-cy-2', traits: { plan: 'free' } })).status).toBe(200);
    await settle();
    expect(await runs()).toEqual([
      ['checkout', 'exited', 'exited-early'],
      ['on-pro', 'exited', 'entry-rules-unmatched'],
    ]);
    expect([...(await rt.messagesOf(onPro)), ...(await rt.messagesOf(checkout))]).toEqual([]);

    const ghost = await createJourney(rt.db, rt.workspaceId, {
      name: 'Ghost',
      document: waitThenSend('ghost', { kind: 'event', event: 'Checkout Started' }, { exitCriteria: { segments: [{ segmentId: 'seg-deleted' }] } }),
    });
    const refused = await owner('POST', `/api/workspaces/${rt.workspaceId}/journeys/${ghost.id}/publish`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ code: 'unknown-segment', field: 'settings.exitCriteria.segments.0.segmentId' })]);
  });
});
