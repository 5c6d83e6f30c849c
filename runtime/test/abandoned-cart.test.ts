import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { eventually } from './support/test-database.ts';
import { startTestRuntime } from './support/test-runtime.ts';

const document = examples.find((e) => e.id === 'abandoned-cart')!.document;
const hour = 3_600_000;

describe('abandoned cart, end to end', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let journeyId: string;

  beforeAll(async () => {
    rt = await startTestRuntime('2026-11-25T10:00:00Z');
    journeyId = (await rt.publish(document)).id;
  });
  afterAll(async () => rt?.stop());

  const cart = (userId: string, cartId: string) => ({
    type: 'track',
    userId,
    event: 'cart_abandoned',
    messageId: `m-${userId}-${cartId}`,
    timestamp: new Date(rt.clock.now()).toISOString(),
    properties: {
      cartId,
      total: 54.5,
      items: [
        { name: 'Trail shoes', quantity: 1, price: 49.5 },
        { name: 'Socks', quantity: 2, price: 2.5 },
      ],
    },
  });

  it('enrolls on the track event, waits, then emails the cart; a purchase of the same cart exits instead', async () => {
    const identify = await rt.ingest('batch', {
      batch: [
        { type: 'identify', userId: 'di', messageId: 'id-di', traits: { first_name: 'Di', email: 'di@example.com' } },
        { type: 'identify', userId: 'cy', messageId: 'id-cy', traits: { first_name: 'Cy', email: 'cy@example.com' } },
      ],
    });
    expect(identify.status).toBe(200);
    expect((await rt.ingest('track', cart('di', 'cart-7'))).status).toBe(200);
    expect((await rt.ingest('track', cart('cy', 'cart-9'))).status).toBe(200);

    const runs = await eventually(async () => {
      const rows = await rt.runsOf(journeyId);
      return rows.length === 2 && rows.every((r) => r.nodeId === 'wait-for-purchase') && rows;
    });
    expect(runs.map((r) => r.key).sort()).toEqual(['cart-7', 'cart-9']);

    await rt.advance(hour);
    expect((await rt.ingest('track', { type: 'track', userId: 'cy', event: 'order_completed', messageId: 'buy-cy', properties: { cartId: 'cart-9' } })).status).toBe(200);
    await eventually(async () => (await rt.runsOf(journeyId)).find((r) => r.key === 'cart-9' && r.status === 'converted'));

    await rt.advance(3 * hour + 60_000);
    const sent = await eventually(async () => {
      const list = await rt.messagesOf(journeyId);
      return list.length === 1 && list[0]!.status === 'sent' && list;
    });
    expect(sent[0]).toMatchObject({ nodeId: 'cart-email', channel: 'email', to: 'di@example.com' });
    expect((sent[0]!.content as { subject: string }).subject).toBe('Di, your cart is waiting');
    const di = (await rt.runsOf(journeyId)).find((r) => r.key === 'cart-7')!;
    expect(await rt.stepsOf(di.id)).toEqual([
      ['cart-abandoned', 'next', 'entered'],
      ['wait-for-purchase', null, 'waiting-for-event'],
      ['wait-for-purchase', 'timeout', 'event-timeout'],
      ['cart-email', 'next', 'sent'],
      ['one-day', null, 'waiting'],
    ]);
  });
});
