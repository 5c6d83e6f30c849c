import { advance, compileJourney, startProgress, type CustomerProfile, type JourneyDocumentInput } from '@waymark/shared';
import { progress, type BenchResult } from '../measure.ts';

/** trigger → condition → email → wait 1 day → push → exit */
const sixNodes: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'bench-six',
  name: 'Six nodes',
  graph: {
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'signed_up' } } },
      {
        id: 'is-pro',
        type: 'condition',
        position: { x: 0, y: 100 },
        data: { rules: { kind: 'group', match: 'all', rules: [{ kind: 'trait', path: 'plan', operator: 'equals', value: 'pro' }] } },
      },
      {
        id: 'welcome',
        type: 'send',
        position: { x: 0, y: 200 },
        data: {
          delivery: { mode: 'channel', channel: 'email' },
          content: { email: { subject: 'Welcome, {{ customer.first_name | default: "friend" }}', html: '<h1>Hi {{ customer.first_name }}</h1>' } },
        },
      },
      { id: 'a-day', type: 'wait', position: { x: 0, y: 300 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } } },
      {
        id: 'nudge',
        type: 'send',
        position: { x: 0, y: 400 },
        data: { delivery: { mode: 'channel', channel: 'push' }, content: { push: { title: 'Still there?', body: 'Come back, {{ customer.first_name }}' } } },
      },
      { id: 'done', type: 'exit', position: { x: 0, y: 500 }, data: {} },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'is-pro' },
      { id: 'e2', source: 'is-pro', sourceHandle: 'yes', target: 'welcome' },
      { id: 'e3', source: 'is-pro', sourceHandle: 'no', target: 'a-day' },
      { id: 'e4', source: 'welcome', target: 'a-day' },
      { id: 'e5', source: 'a-day', target: 'nudge' },
      { id: 'e6', source: 'nudge', target: 'done' },
    ],
  },
};

/** Advances `count` customers through the six-node journey in memory: enter, then the day timer. */
export async function advanceBench(count = 100_000): Promise<BenchResult[]> {
  const machine = compileJourney(sixNodes);
  const start = Date.parse('2026-11-25T10:00:00Z');
  let steps = 0;
  let messages = 0;
  const began = performance.now();
  for (let i = 0; i < count; i++) {
    const customer: CustomerProfile = {
      id: `c${i}`,
      traits: { first_name: `Name${i}`, plan: i % 2 ? 'pro' : 'free', timezone: 'Europe/Berlin' },
      channels: { email: { address: `c${i}@example.com` }, push: { address: `token-${i}` } },
    };
    const now = new Date(start + i).toISOString();
    const trigger = { name: 'signed_up', properties: {}, timestamp: now };
    const entered = advance(machine, startProgress({ id: `p${i}`, machine, customerId: customer.id, trigger, key: null, now }), { type: 'enter' }, { now, customer });
    const position = entered.progress.position!;
    const done = advance(machine, entered.progress, { type: 'timer-fired', timerId: position.timerId }, { now: position.until, customer });
    for (const effect of [...entered.effects, ...done.effects]) {
      if (effect.type === 'record-step') steps++;
      if (effect.type === 'send-message') messages++;
    }
    if (done.progress.status !== 'completed') throw new Error(`customer ${i} did not complete`);
    if ((i + 1) % 10_000 === 0) progress('advance 100k customers', i + 1, count);
  }
  const seconds = (performance.now() - began) / 1000;
  return [
    {
      name: `advance ${count.toLocaleString('en')} customers through a 6-node journey (in memory)`,
      figure: `${Math.round(count / seconds).toLocaleString('en')} customers/s, ${Math.round(steps / seconds).toLocaleString('en')} steps/s, ${messages.toLocaleString('en')} messages rendered in ${seconds.toFixed(2)} s`,
      target: 'report',
      ok: true,
    },
  ];
}
