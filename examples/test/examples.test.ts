import { describe, expect, it } from 'vitest';
import { compileJourney, JourneyDocument, JourneyMachine, validateJourney } from '@waymark/shared';
import { examples } from '@waymark/examples';
import { customer, run } from './simulate.ts';

describe('every example', () => {
  it('there are at least five', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });
  for (const example of examples) {
    it(`${example.id} parses, validates clean and compiles to a valid machine`, () => {
      expect(JourneyDocument.safeParse(example.document).success).toBe(true);
      expect(validateJourney(example.document)).toEqual([]);
      expect(JourneyMachine.safeParse(compileJourney(example.document)).success).toBe(true);
    });
  }
});

describe('welcome series', () => {
  const trigger = { name: 'signed_up', properties: {}, timestamp: '2026-11-02T15:00:00Z' };
  const ada = customer('ada', { first_name: 'Ada', timezone: 'Europe/London' }, { email: 'ada@example.com', push: ['tok-ada', 'subscribed'], sms: ['+447700900001', 'opted-in'] });

  it('sends the welcome email, then a push to a customer who opened it', () => {
    const r = run('welcome-series', { customer: ada, trigger, context: { messageActivity: [{ nodeId: 'welcome-email', activity: 'opened' }] } });
    expect(r.path).toEqual([
      ['signed-up', 'next', 'entered'],
      ['welcome-email', 'next', 'sent'],
      ['two-days', null, 'waiting'],
      ['two-days', 'next', 'wait-elapsed'],
      ['opened-welcome', 'yes', 'rules-matched'],
      ['tips-push', 'next', 'sent'],
    ]);
    expect(r.messages.map((m) => [m.node, m.channel, m.to, m.at])).toEqual([
      ['welcome-email', 'email', 'ada@example.com', '2026-11-02T15:00:00.000Z'],
      ['tips-push', 'push', 'tok-ada', '2026-11-04T15:00:00.000Z'],
    ]);
    expect(r.messages[0]!.content.subject).toBe('Welcome to Acme, Ada!');
    expect(r.messages[1]!.content.body).toBe("Ada, pick a template and you're done in 2 minutes.");
    expect([r.status, r.endReason]).toEqual(['completed', 'completed']);
  });

  it('texts a customer who did not open it, and waits out quiet hours in their zone', () => {
    const night = { ...trigger, timestamp: '2026-11-02T22:30:00Z' }; // 22:30 in London: quiet hours
    const r = run('welcome-series', { customer: customer('bo', { timezone: 'Europe/London' }, { email: 'bo@example.com', sms: ['+447700900002', 'opted-in'] }), trigger: night });
    expect(r.path.map(([node, , reason]) => `${node}:${reason}`)).toEqual([
      'signed-up:entered',
      'welcome-email:deferred:quiet-hours',
      'welcome-email:sent',
      'two-days:waiting',
      'two-days:wait-elapsed',
      'opened-welcome:rules-not-matched',
      'nudge-sms:sent',
    ]);
    expect(r.messages.map((m) => [m.node, m.at])).toEqual([
      ['welcome-email', '2026-11-03T08:00:00.000Z'],
      ['nudge-sms', '2026-11-05T08:00:00.000Z'],
    ]);
    expect(r.messages[0]!.content.subject).toBe('Welcome to Acme, friend!');
    expect(r.messages[1]!.content.text).toBe('Acme: Hi, your welcome guide is waiting: https://acme.test/start Reply STOP to opt out.');
  });
});

describe('abandoned cart', () => {
  const cart = {
    name: 'cart_abandoned',
    properties: {
      cartId: 'cart-7',
      total: 54.5,
      items: [
        { name: 'Trail shoes', quantity: 1, price: 49.5 },
        { name: 'Socks', quantity: 2, price: 2.5 },
      ],
    },
    timestamp: '2026-11-25T10:00:00Z',
  };
  const buys = (cartId: string, at: string) => ({ name: 'order_completed', properties: { cartId }, timestamp: at });

  it('a customer who buys this cart within 4 hours converts and gets no message; another cart does not count', () => {
    const r = run('abandoned-cart', {
      customer: customer('cy', { first_name: 'Cy' }, { email: 'cy@example.com' }),
      trigger: cart,
      events: [buys('cart-other', '2026-11-25T11:00:00Z'), buys('cart-7', '2026-11-25T12:30:00Z')],
    });
    expect(r.path).toEqual([
      ['cart-abandoned', 'next', 'entered'],
      ['wait-for-purchase', null, 'waiting-for-event'],
    ]);
    expect(r.messages).toEqual([]);
    expect(r.result.timeline[1]!.ignored).toBe('not-waiting');
    expect([r.status, r.endReason]).toEqual(['converted', 'converted']);
  });

  it('a customer who does not buy gets the email with their cart, and no SMS since email reached them', () => {
    const r = run('abandoned-cart', { customer: customer('di', { first_name: 'Di' }, { email: 'di@example.com', sms: ['+447700900003', 'opted-in'] }), trigger: cart });
    expect(r.path).toEqual([
      ['cart-abandoned', 'next', 'entered'],
      ['wait-for-purchase', null, 'waiting-for-event'],
      ['wait-for-purchase', 'timeout', 'event-timeout'],
      ['cart-email', 'next', 'sent'],
      ['one-day', null, 'waiting'],
      ['one-day', 'next', 'wait-elapsed'],
      ['email-consented', 'yes', 'rules-matched'],
      ['email-reached', null, 'exit-node'],
    ]);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ node: 'cart-email', to: 'di@example.com', at: '2026-11-25T14:00:00.000Z' });
    expect(r.messages[0]!.content).toEqual({
      subject: 'Di, your cart is waiting',
      preheader: '2 items saved for you',
      html: '<h1>Still thinking it over?</h1><ul><li>Trail shoes × 1: £49.5</li><li>Socks × 2: £2.5</li></ul><p>Total: £54.5</p><p><a href="https://shop.test/cart/cart-7">Return to your cart</a></p>',
      text: 'Your cart: Trail shoes × 1; Socks × 2; total £54.5. https://shop.test/cart/cart-7',
      links: ['https://shop.test/cart/cart-7'],
    });
  });

  it('a customer without email consent: the email is a logged skip, then the SMS a day later', () => {
    const r = run('abandoned-cart', {
      customer: customer('ed', {}, { email: ['ed@example.com', 'unsubscribed'], sms: ['+447700900004', 'opted-in'] }),
      trigger: cart,
    });
    expect(r.path.map(([node, handle, reason]) => `${node}:${handle}:${reason}`)).toEqual([
      'cart-abandoned:next:entered',
      'wait-for-purchase:null:waiting-for-event',
      'wait-for-purchase:timeout:event-timeout',
      'cart-email:next:skipped:no-consent',
      'one-day:null:waiting',
      'one-day:next:wait-elapsed',
      'email-consented:no:rules-not-matched',
      'cart-sms:next:sent',
    ]);
    expect(r.messages).toEqual([
      {
        node: 'cart-sms',
        channel: 'sms',
        to: '+447700900004',
        at: '2026-11-26T14:00:00.000Z',
        content: { text: 'Shop: your cart (2 items, £54.5) is saved: https://shop.test/cart/cart-7 Reply STOP to opt out.' },
      },
    ]);
    expect([r.status, r.endReason]).toEqual(['completed', 'completed']);
  });
});
