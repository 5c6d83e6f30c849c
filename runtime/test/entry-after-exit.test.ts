import { previewJourney, type JourneyDocumentInput, type JourneyMachine } from '@waymark/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyVersions } from '../src/db/schema.ts';
import { startTestRuntime } from './support/test-runtime.ts';

// Every cart update restarts the reminder: the event both ends the customer's run (an exit criterion) and starts the next.
const restart: JourneyDocumentInput = {
  schemaVersion: 1,
  id: 'restart',
  name: 'Cart reminder, restarted by each update',
  settings: { reEntry: { mode: 'always' }, exitCriteria: { events: [{ event: 'cart_updated' }] } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event: 'cart_updated' } } },
      { id: 'later', type: 'wait', position: { x: 0, y: 100 }, data: { wait: { kind: 'duration', duration: { amount: 1, unit: 'hours' } } } },
    ],
    edges: [{ id: 'e', source: 'start', sourceHandle: 'next', target: 'later' }],
  },
};

describe('an event that ends a run and starts the journey again (SPEC R1, V1)', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let journeyId: string;
  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z');
    journeyId = (await rt.publish(restart)).id;
  });
  afterAll(async () => rt?.stop());

  it('the second cart update exits the first run and starts a new one, as the preview says', async () => {
    await rt.ingest('track', { userId: 'ada', event: 'cart_updated', messageId: 'c1', timestamp: '2026-11-25T10:00:00Z' });
    await rt.eventually(async () => (await rt.runsOf(journeyId)).length === 1);
    await rt.advance(10 * 60_000);
    await rt.ingest('track', { userId: 'ada', event: 'cart_updated', messageId: 'c2', timestamp: new Date(rt.clock.now()).toISOString() });
    const runs = await rt.eventually(async () => {
      const all = await rt.runsOf(journeyId);
      return all.length === 2 && all;
    });
    expect(runs.map((r) => r.status).sort()).toEqual(['active', 'exited']);

    const [stored] = await rt.db.select({ machine: journeyVersions.machine }).from(journeyVersions).where(eq(journeyVersions.journeyId, journeyId));
    const preview = previewJourney({
      machine: stored!.machine as JourneyMachine,
      customer: { id: runs[0]!.customerId, traits: {}, channels: {} },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: {} }, items: [{ kind: 'track', after: { amount: 10, unit: 'minutes' }, name: 'cart_updated', properties: {} }] },
    });
    const again = preview.rows.find((row) => row.kind === 'input');
    expect(again).toMatchObject({ again: { enters: true } });
  });
});
