import type { CustomerImportResponse, ImportRow, SegmentSummary } from '@waymark/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from './support/test-runtime.ts';

const text = (value: string) => ({ type: 'string' as const, value });

describe('customer import from CSV rows, and a segment exported as CSV (issue 15)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let owner: Awaited<ReturnType<typeof rt.signIn>>;
  const importPath = () => `/api/workspaces/${rt.workspaceId}/customers/import`;
  const segments = (rest = '') => `/api/workspaces/${rt.workspaceId}/segments${rest}`;
  const send = async (rows: ImportRow[], extra: object = {}) => {
    const response = await owner('POST', importPath(), { rows, ...extra });
    expect(response.status).toBe(200);
    return response.body as CustomerImportResponse;
  };
  const customer = async (id: string) =>
    (await rt.sql`select traits, channels from customers where id = ${id}`)[0] as { traits: Record<string, unknown>; channels: Record<string, Record<string, unknown>> };
  const identities = async (id: string) => (await rt.sql`select kind, value from customer_identities where customer_id = ${id} order by kind, value`).map((r) => `${r.kind}:${r.value}`);
  const customerCount = async () => (await rt.sql`select count(*)::int as n from customers`)[0]!.n as number;
  const settle = () => rt.eventually(async () => (await rt.pendingEvents()) === 0);

  beforeAll(async () => {
    rt = await startTestRuntime();
    owner = await rt.signIn();
  });
  afterAll(async () => rt?.stop());

  it('stores typed traits (text, number, yes/no, date as ISO text), email and phone as addresses, and consent per channel', async () => {
    const result = await send([
      {
        userId: 'ada',
        email: ' Ada@Example.com ',
        phone: '+44 20 7946-0958',
        traits: {
          plan: text('pro'),
          orders: { type: 'number', value: '12' },
          ltv: { type: 'number', value: 1234.5 },
          vip: { type: 'boolean', value: 'Yes' },
          beta: { type: 'boolean', value: '0' },
          signed_up: { type: 'date', value: '2024-03-01' },
          last_order: { type: 'date', value: '2026-11-20 14:30' },
          zip: text('02139'),
          empty: { type: 'number', value: '' },
        },
        consent: { email: 'opted-in', sms: 'unsubscribed', push: 'no', 'in-app': 'yes' },
      },
    ]);
    expect(result).toMatchObject({ created: 1, updated: 0, rejected: 0, replayed: false });
    const [row] = result.results;
    expect(row).toMatchObject({ index: 0, status: 'created' });
    const ada = await customer(row!.customerId!);
    expect(ada.traits).toEqual({
      plan: 'pro',
      orders: 12,
      ltv: 1234.5,
      vip: true,
      beta: false,
      signed_up: '2024-03-01T00:00:00.000Z',
      last_order: '2026-11-20T14:30:00.000Z',
      zip: '02139',
      email: 'Ada@Example.com',
      phone: '+442079460958',
    });
    expect(ada.channels).toEqual({
      email: { address: 'Ada@Example.com', consent: 'opted-in' },
      sms: { address: '+442079460958', consent: 'unsubscribed' },
      push: { consent: 'unsubscribed' },
      'in-app': { consent: 'opted-in' },
    });
    expect(await identities(row!.customerId!)).toEqual(['user_id:ada']);
    // Stored as an identify call on the timeline, queued for the workers like any identify, and
    // each consent it gave as a Consent Changed event after it (journeys starting on one hear it).
    const events = await rt.sql`select type, name, properties from events where customer_id = ${row!.customerId} order by id`;
    expect(events[0]).toMatchObject({ type: 'identify', properties: { plan: 'pro', consent: { email: 'opted-in' } } });
    expect(events.slice(1).map((e) => [e.type, e.name, e.properties])).toEqual(
      [
        ['email', 'opted-in'],
        ['sms', 'unsubscribed'],
        ['push', 'unsubscribed'],
        ['in-app', 'opted-in'],
      ].map(([channel, consent]) => ['track', 'Consent Changed', { channel, consent, source: 'identify' }]),
    );
    await settle();
  });

  it('merges into existing customers by user id, then email (any case), then phone; traits merge rather than replace', async () => {
    expect((await rt.ingest('identify', { userId: 'bob', messageId: 'i-bob', traits: { email: 'bob@example.com', plan: 'free', city: 'Oslo' } })).status).toBe(200);
    expect((await rt.ingest('identify', { anonymousId: 'visitor-1', messageId: 'i-cy', traits: { email: 'cy@example.com', phone: '+14155550100' } })).status).toBe(200);
    const ada = (await rt.sql`select customer_id from customer_identities where value = 'ada'`)[0]!.customer_id as string;
    const bob = (await rt.sql`select customer_id from customer_identities where value = 'bob'`)[0]!.customer_id as string;
    const cy = (await rt.sql`select customer_id from customer_identities where value = 'visitor-1'`)[0]!.customer_id as string;
    const before = await customerCount();
    const result = await send([
      { userId: 'ada', traits: { plan: text('enterprise') } },
      { email: 'BOB@example.com', traits: { plan: text('pro') } },
      { phone: '+1 (415) 555-0100', traits: { plan: text('pro') } },
      // A new user id with Cy's email: she had no user id, so she gets this one.
      { userId: 'cy', email: 'cy@example.com', traits: { vip: { type: 'boolean', value: true } } },
    ]);
    expect(result).toMatchObject({ created: 0, updated: 4, rejected: 0 });
    expect(result.results.map((r) => r.customerId)).toEqual([ada, bob, cy, cy]);
    expect(await customerCount()).toBe(before);
    expect((await customer(ada)).traits).toMatchObject({ plan: 'enterprise', orders: 12, vip: true });
    expect((await customer(bob)).traits).toEqual({ email: 'BOB@example.com', plan: 'pro', city: 'Oslo' });
    expect((await customer(cy)).traits).toMatchObject({ plan: 'pro', vip: true, phone: '+14155550100' });
    expect(await identities(cy)).toEqual(['anonymous_id:visitor-1', 'user_id:cy']);
    // An email that belongs to a customer with another user id is another person.
    const other = await send([{ userId: 'bob-2', email: 'bob@example.com' }]);
    expect(other.results[0]).toMatchObject({ status: 'created' });
    expect(other.results[0]!.customerId).not.toBe(bob);
    await settle();
  });

  it('rows of one person in one batch become one customer: by user id, email and phone, with consent merged per channel', async () => {
    const before = await customerCount();
    const result = await send([
      { email: 'dee@example.com', traits: { first_name: text('Dee') }, consent: { email: 'opted-in' } },
      { userId: 'dee', email: 'DEE@example.com', traits: { plan: text('free') } },
      { userId: 'dee', phone: '+33612345678', consent: { sms: 'yes' } },
      { phone: '+33 6 12 34 56 78', traits: { plan: text('pro') } },
      // Email only, no one has it: a new customer without a user id, found again by the address next time.
      { email: 'eve@example.com', traits: { first_name: text('Eve') } },
    ]);
    expect(result).toMatchObject({ created: 2, updated: 3, rejected: 0 });
    expect(result.results.map((r) => r.status)).toEqual(['created', 'updated', 'updated', 'updated', 'created']);
    const dee = result.results[0]!.customerId!;
    expect(new Set(result.results.slice(0, 4).map((r) => r.customerId))).toEqual(new Set([dee]));
    expect(await customerCount()).toBe(before + 2);
    expect(await identities(dee)).toEqual(['user_id:dee']);
    const { traits, channels } = await customer(dee);
    expect(traits).toMatchObject({ first_name: 'Dee', plan: 'pro', email: 'DEE@example.com', phone: '+33612345678' });
    expect(channels).toMatchObject({ email: { address: 'DEE@example.com', consent: 'opted-in' }, sms: { address: '+33612345678', consent: 'opted-in' } });
    // Eve gets an anonymous id (random) to be resolved by, and is matched by her email in the next import.
    const eve = result.results[4]!.customerId!;
    expect(await identities(eve)).toEqual([expect.stringMatching(/^anonymous_id:[0-9a-f-]{36}$/)]);
    const again = await send([{ email: 'Eve@Example.com', traits: { last_name: text('Smith') } }]);
    expect(again.results[0]).toMatchObject({ status: 'updated', customerId: eve });
    expect((await customer(eve)).traits).toMatchObject({ first_name: 'Eve', last_name: 'Smith' });
    await settle();
  });

  it('rejects a bad row naming its field and why, and stores the good rows of the same batch', async () => {
    const before = await customerCount();
    const result = await send([
      { userId: 'fay', traits: { plan: text('pro') } },
      { email: 'not-an-email', traits: { plan: text('pro') } },
      { userId: 'gus', phone: '0612345678' },
      { userId: 'hal', traits: { orders: { type: 'number', value: '1,234' } } },
      { userId: 'ida', traits: { vip: { type: 'boolean', value: 'maybe' } } },
      { userId: 'jon', traits: { born: { type: 'date', value: '2024-02-30' } } },
      { traits: { plan: text('pro') } },
      { userId: 'kim', consent: { sms: 'perhaps' } },
      { userId: 'lou', email: 'lou@example.com' },
    ]);
    expect(result).toMatchObject({ created: 2, updated: 0, rejected: 7 });
    expect(result.results.map((r) => [r.status, r.field ?? null])).toEqual([
      ['created', null],
      ['rejected', 'email'],
      ['rejected', 'phone'],
      ['rejected', 'traits.orders'],
      ['rejected', 'traits.vip'],
      ['rejected', 'traits.born'],
      ['rejected', 'userId'],
      ['rejected', 'consent.sms'],
      ['created', null],
    ]);
    expect(result.results[1]!.reason).toBe('email: "not-an-email" is not an email address');
    expect(result.results[2]!.reason).toBe('phone: "0612345678" is not a phone number in international format (E.164), like +14155550100');
    expect(result.results[3]!.reason).toBe('traits.orders: "1,234" is not a number (write numbers like 1234.5, without thousands separators)');
    expect(result.results[6]!.reason).toBe('userId: has no user id, email or phone: a row needs at least one to say who it is');
    expect(await customerCount()).toBe(before + 2);
    expect(await rt.sql`select 1 from customer_identities where value in ('gus', 'hal', 'ida', 'jon', 'kim')`).toHaveLength(0);
    await settle();
  });

  it('refuses a bad request shape with a 400 naming the field, never a 500', async () => {
    const cases: [unknown, string][] = [
      [{}, 'rows'],
      [{ rows: [] }, 'rows'],
      [{ rows: Array.from({ length: 1_001 }, (_, i) => ({ userId: `u${i}` })) }, 'rows'],
      [{ rows: 'a,b,c' }, 'rows'],
      [{ rows: [{ userId: 'a', emial: 'a@example.com' }] }, 'rows.0'],
      [{ rows: [{ userId: 'a', traits: { plan: { type: 'color', value: 'red' } } }] }, 'rows.0.traits.plan.type'],
      [{ rows: [{ userId: 'a', traits: { plan: 'pro' } }] }, 'rows.0.traits.plan'],
      [{ rows: [{ userId: 'a', traits: { email: text('a@example.com') } }] }, 'rows.0.traits.email'],
      [{ rows: [{ userId: 'a', consent: { fax: 'yes' } }] }, 'rows.0.consent'],
      [{ rows: [{ userId: { id: 1 } }] }, 'rows.0.userId'],
      [{ rows: [{ userId: 'a' }], idempotencyKey: '' }, 'idempotencyKey'],
    ];
    for (const [body, field] of cases) {
      const response = await owner('POST', importPath(), body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body.error.details.field).toBe(field);
    }
    expect((await rt.sql`select 1 from customer_identities where value = 'a'`).length).toBe(0);
    // Not JSON at all.
    const broken = await rt.app.request(importPath(), { method: 'POST', headers: { 'content-type': 'application/json', cookie: await cookie() }, body: '{"rows": [' });
    expect(broken.status).toBe(400);
    // Trait names that are also names of an object's methods are traits like any other.
    const methods = await owner('POST', importPath(), { rows: [{ userId: 'methods', traits: { toString: text('a'), constructor: text('b') } }] });
    expect(methods.status).toBe(200);
    expect(methods.body.results[0]).toMatchObject({ status: 'created' });
  });

  it('the same idempotency key again changes nothing and says so', async () => {
    const rows: ImportRow[] = [
      { userId: 'max', traits: { plan: text('pro') } },
      { email: 'nia@example.com', traits: { plan: text('free') } },
    ];
    const first = await send(rows, { idempotencyKey: 'upload-7-batch-0' });
    expect(first).toMatchObject({ created: 2, replayed: false });
    const events = await rt.sql`select count(*)::int as n from events`;
    const again = await send(rows, { idempotencyKey: 'upload-7-batch-0' });
    expect(again).toMatchObject({ created: 0, updated: 2, replayed: true });
    expect(again.results.map((r) => r.customerId)).toEqual(first.results.map((r) => r.customerId));
    expect(await rt.sql`select count(*)::int as n from events`).toEqual(events);
    await settle();
  });

  it('imported traits and consent update segment membership as an identify does', async () => {
    const define = async (name: string, rules: object) => {
      const response = await owner('POST', segments(), { name, rules });
      expect(response.status).toBe(201);
      await rt.eventually(async () => ((await owner('GET', segments(`/${response.body.id}`))).body as SegmentSummary).status === 'ready');
      return response.body.id as string;
    };
    const gold = await define('Gold', { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'tier', operator: 'equals', value: 'gold' }] });
    const texting = await define('Can text', { kind: 'group', match: 'all', rules: [{ kind: 'channel', channel: 'sms', state: 'reachable-and-consented' }] });
    const members = async (id: string) => ((await owner('GET', segments(`/${id}/members`))).body.items as { userId: string | null }[]).map((m) => m.userId).sort();
    expect(await members(gold)).toEqual([]);
    // A journey that starts when a customer enters Gold starts for an imported one, as for an identify.
    const welcome = await rt.publish({
      schemaVersion: 1,
      id: 'welcome-gold',
      name: 'Welcome to Gold',
      settings: {},
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'segment-change', segmentId: gold, change: 'entered' } } } as never,
          { id: 'hello', type: 'send', position: { x: 0, y: 100 }, data: { delivery: { mode: 'channel', channel: 'in-app' }, content: { 'in-app': { title: 'Welcome to Gold', body: 'Hi' } } } },
        ],
        edges: [{ id: 'a', source: 'start', target: 'hello' }],
      },
    });
    await send([
      { userId: 'ada', traits: { tier: text('gold') } },
      { userId: 'bob', traits: { tier: text('silver') }, phone: '+4791234567', consent: { sms: 'opted-in' } },
    ]);
    await settle();
    expect(await members(gold)).toEqual(['ada']);
    expect(await members(texting)).toEqual(['bob', 'dee']);
    const ada = (await rt.sql`select customer_id from customer_identities where value = 'ada'`)[0]!.customer_id;
    expect((await rt.messagesOf(welcome.id)).map((m) => [m.customerId, m.status])).toEqual([[ada, 'sent']]);
    await send([
      { userId: 'ada', traits: { tier: text('silver') } },
      { userId: 'bob', traits: { tier: text('gold') }, consent: { sms: 'unsubscribed' } },
    ]);
    await settle();
    expect(await members(gold)).toEqual(['bob']);
    expect(await members(texting)).toEqual(['dee']);
  });

  it('exports a segment as CSV: fixed columns, a column per trait, quoting, and formulas made harmless', async () => {
    const result = await send([
      {
        userId: 'csv-1',
        email: 'quote@example.com',
        phone: '+14155550199',
        traits: {
          name: text('Ann "The Hammer" Lee'),
          tier: text('export'),
          note: text('=HYPERLINK("http://evil.example","click")'),
          city: text('Paris, France'),
          bio: text('line one\nline two'),
          handle: text('@ann'),
          score: { type: 'number', value: '-3' },
          minus: text('-1+2'),
          plus: text('+cmd'),
          vip: { type: 'boolean', value: 'yes' },
        },
      },
      { email: 'plain@example.com', traits: { tier: text('export'), first_name: text('Bo'), last_name: text('Ng') } },
    ]);
    const [ann, bo] = result.results.map((r) => r.customerId!);
    const response = await owner('POST', segments(), {
      name: 'Export / test é',
      rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'tier', operator: 'equals', value: 'export' }] },
    });
    const id = response.body.id as string;
    await settle();
    await rt.eventually(async () => ((await owner('GET', segments(`/${id}`))).body as SegmentSummary).members === 2);
    const csv = await rt.app.request(segments(`/${id}/members.csv`), { headers: { cookie: await cookie() } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="Export _ test _.csv"; filename*=UTF-8''${encodeURIComponent('Export / test é.csv')}`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // A byte order mark first, so spreadsheets read UTF-8 (the decoder drops it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe('customer_id,user_id,email,phone,name,bio,city,first_name,handle,last_name,minus,note,plus,score,tier,vip');
    const byId = (customerId: string) => lines.find((l) => l.startsWith(customerId))!;
    expect(byId(ann!)).toBe(
      `${ann},csv-1,quote@example.com,'+14155550199,"Ann ""The Hammer"" Lee","line one\nline two","Paris, France",,'@ann,,'-1+2,"'=HYPERLINK(""http://evil.example"",""click"")",'+cmd,-3,export,true`,
    );
    expect(byId(bo!)).toBe(`${bo},,plain@example.com,,Bo Ng,,,Bo,,Ng,,,,,export,`);
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(4);
    // An unknown segment is a 404, like its members list.
    expect((await owner('GET', segments('/nope/members.csv'))).status).toBe(404);
  });

  /** The owner's session cookie, for requests that are not JSON. */
  async function cookie() {
    const response = await rt.app.request('/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: rt.owner.email, password: rt.owner.password }),
    });
    return response.headers.get('set-cookie')!.split(';')[0]!;
  }
});
