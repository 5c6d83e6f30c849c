import { progress } from '../measure.ts';
import { postgres } from './peer-baseline.ts';

type Sql = ReturnType<typeof postgres>;
type Tx = Parameters<Parameters<Sql['begin']>[1]>[0];

/** Transactions at once, as the runtime's event loops (each a share of the customers). */
const loops = 4;
/** Queued events one transaction takes, as the runtime's event loops. */
const batchSize = 1_000;

/**
 * The floor under the end-to-end benchmark: the rows Waymark keeps for each customer of the
 * end-to-end journey, written with plain SQL on the real schema and nothing else — no engine, no
 * template engine, no re-entry or send-count reads, no drizzle — by four loops each taking 1,000
 * queued events a transaction with SKIP LOCKED, as the runtime does. Per customer: the queued
 * event claimed and deleted, the event and customer read (the customer share-locked), a run (ended),
 * its entry, one step row with four transitions, the message (as sent: the inbox needs no
 * delivery), its send outcome, the send count and the node counters folded per transaction.
 * What the runtime does above this floor is its own cost; the floor is what its guarantees cost.
 * The events must be queued (for `journeyId`, version 1, trigger `event`) with no worker running.
 */
export async function writeFloor(url: string, journeyId: string, event: string, customers: number): Promise<{ perSecond: number; seconds: number }> {
  const sql = postgres(url, { max: loops, onnotice: () => {} });
  let done = 0;
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: loops }, async (_, index) => {
        for (;;) {
          const n = await sql.begin((tx) => writeBatch(tx, index, journeyId, event));
          if (!n) return;
          done += n;
          progress('write floor', Math.min(done, customers), customers);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return { perSecond: done / seconds, seconds };
  } finally {
    await sql.end();
  }
}

/** One transaction: up to `batchSize` events of the loop's share; returns how many customers went through. */
async function writeBatch(tx: Tx, index: number, journeyId: string, event: string): Promise<number> {
  const claimed = await tx.unsafe<{ event_id: string }[]>(
    `delete from event_queue where event_id in (
       select event_id from event_queue where (hashtext(customer_id) & 2147483647) % ${loops} = ${index} order by event_id limit ${batchSize} for update skip locked)
     returning event_id`,
  );
  if (!claimed.length) return 0;
  const rows = await tx.unsafe<{ customer_id: string; workspace_id: string; traits: Record<string, unknown> }[]>(
    `select e.customer_id, e.workspace_id, c.traits from events e join customers c on c.id = e.customer_id
     where e.id = any(array(select json_array_elements_text($1::text::json)::bigint)) and e.type = 'track' and e.name = $2
     for key share of c`,
    [JSON.stringify(claimed.map((c) => c.event_id)), event],
  );
  if (!rows.length) return 0;
  const at = new Date().toISOString();
  const day = at.slice(0, 10);
  const path = [
    ['trigger', 'next', 'entered'],
    ['is-pro', 'yes', 'condition'],
    ['hello', 'next', 'sent'],
    ['done', null, 'exit'],
  ] as const;
  const runs = rows.map((row) => ({ row, id: crypto.randomUUID(), messageId: crypto.randomUUID() }));
  const insert = (table: string, list: object[], tail = '') => {
    const columns = Object.keys(list[0]!)
      .map((c) => `"${c}"`)
      .join(', ');
    return tx.unsafe(`insert into ${table} (${columns}) select ${columns} from jsonb_populate_recordset(null::${table}, $1::text::jsonb) ${tail}`, [JSON.stringify(list)]);
  };
  const common = (row: (typeof rows)[number]) => ({ workspace_id: row.workspace_id, journey_id: journeyId, version: 1 });
  await insert(
    'progress',
    runs.map(({ row, id }) => ({
      id,
      ...common(row),
      customer_id: row.customer_id,
      key: null,
      status: 'completed',
      node_id: 'done',
      waiting_for: null,
      state: { id, customerId: row.customer_id, status: 'completed', position: null, visits: { trigger: 1, 'is-pro': 1, hello: 1, done: 1 }, enteredAt: at, updatedAt: at, endedAt: at },
      revision: 1,
      entered_at: at,
      ended_at: at,
      due_at: null,
    })),
  );
  await insert(
    'run_entries',
    runs.map(({ row }) => ({ ...common(row), entered_at: at, customer_id: row.customer_id })),
  );
  await insert(
    'run_steps',
    runs.map(({ row, id }) => ({ ...common(row), progress_id: id, transitions: path.map(([node_id, handle, reason]) => ({ node_id, handle, reason, detail: '', at })) })),
  );
  await insert(
    'messages',
    runs.map(({ row, id, messageId }) => ({
      id: messageId,
      ...common(row),
      idempotency_key: `${id}:hello:1`,
      progress_id: id,
      node_id: 'hello',
      customer_id: row.customer_id,
      channel: 'in-app',
      to: null,
      content: { title: `Welcome ${row.traits.first_name}`, body: `Your plan: ${row.traits.plan}` },
      transactional: false,
      status: 'sent',
      attempts: 1,
      provider_id: `in-app:${messageId}`,
      created_at: at,
      sent_at: at,
    })),
    'on conflict do nothing',
  );
  await insert(
    'send_outcomes',
    runs.map(({ row, id }) => ({ ...common(row), node_id: 'hello', progress_id: id, reason: 'sent', at })),
  );
  await insert(
    'send_counts',
    runs.map(({ row }) => ({ workspace_id: row.workspace_id, customer_id: row.customer_id, channel: 'in-app', day, count: 1 })),
    'on conflict (customer_id, channel, day) do update set count = send_counts.count + excluded.count',
  );
  const counters: [string, string][] = [
    ...path.map(([node]): [string, string] => [node, 'entered']),
    ['trigger', 'left:next'],
    ['is-pro', 'left:yes'],
    ['hello', 'left:next'],
    ['hello', 'queued'],
    ['hello', 'sent'],
    ['_journey', 'entered'],
    ['_journey', 'exit:end'],
  ];
  await insert(
    'node_stats',
    counters.map(([node_id, metric]) => ({ ...common(rows[0]!), node_id, metric, count: rows.length, day })).sort((a, b) => (a.node_id + a.metric < b.node_id + b.metric ? -1 : 1)),
    'on conflict (journey_id, version, day, node_id, metric) do update set count = node_stats.count + excluded.count',
  );
  return rows.length;
}
