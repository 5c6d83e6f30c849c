import { describe, expect, it } from 'vitest';
import { bucketOf } from '@waymark/shared';
import { customer, run } from './simulate.ts';

describe('re-engagement on the preferred channel', () => {
  const trigger = { name: 'inactive_30_days', properties: {}, timestamp: '2026-11-25T11:00:00Z' }; // 12:00 in Paris

  it('uses the preferred channel when it can, and flags the customer dormant a week later', () => {
    const fay = customer('fay', { first_name: 'Fay', unread_count: 4, timezone: 'Europe/Paris' }, { email: 'fay@example.com', push: 'tok-fay' });
    const r = run('re-engagement', { customer: { ...fay, preferredChannel: 'email' }, trigger });
    expect(r.messages.map((m) => [m.channel, m.content.subject])).toEqual([['email', "Fay, here's what you missed"]]);
    expect(r.path.slice(-2)).toEqual([
      ['came-back', 'no', 'rules-not-matched'],
      ['mark-dormant', 'next', 'profile-updated'],
    ]);
    expect(r.result.customer.traits).toMatchObject({ lifecycle_stage: 'dormant', dormant_since: '2026-11-25T11:00:00.000Z' });
  });

  it('falls back down the list (push → email → sms) when the preferred channel is not reachable', () => {
    const gus = customer('gus', { timezone: 'Europe/Paris' }, { email: ['gus@example.com', 'unsubscribed'], sms: ['+33600000000', 'opted-in'] });
    const r = run('re-engagement', { customer: { ...gus, preferredChannel: 'push' }, trigger });
    expect(r.messages.map((m) => [m.channel, m.to, m.content.text])).toEqual([['sms', '+33600000000', 'Acme: 0 new updates are waiting: https://acme.test/inbox Reply STOP to opt out.']]);
  });

  it('a customer who comes back converts (without leaving) and exits by the "came back" branch', () => {
    const hal = customer('hal', { timezone: 'Europe/Paris' }, { push: 'tok-hal' });
    const r = run('re-engagement', { customer: hal, trigger, events: [{ name: 'session_started', properties: {}, timestamp: '2026-11-27T08:00:00Z' }] });
    expect(r.result.effects.filter((e) => e.type === 'convert')).toHaveLength(1);
    expect(r.path.slice(-2)).toEqual([
      ['came-back', 'yes', 'rules-matched'],
      ['welcome-back', null, 'exit-node'],
    ]);
    expect(r.result.progress.convertedAt).toBe('2026-11-27T08:00:00.000Z');
  });

  it('an account deletion removes the customer wherever they are', () => {
    const r = run('re-engagement', {
      customer: customer('ivy', {}, { push: 'tok-ivy' }),
      trigger,
      events: [{ name: 'account_deleted', properties: {}, timestamp: '2026-11-26T00:00:00Z' }],
    });
    expect([r.status, r.endReason]).toEqual(['exited', 'exited-early']);
  });
});

describe('subject line A/B test with holdout', () => {
  const trigger = (at = '2026-11-27T07:00:00Z') => ({ name: 'promo_audience_joined', properties: {}, timestamp: at });
  const arm = (id: string) => {
    const bucket = bucketOf(`subject-line-ab-test:subject-test:${id}`);
    return bucket < 45 ? 'a' : bucket < 90 ? 'b' : 'holdout';
  };
  const ids = Array.from({ length: 60 }, (_, i) => `shopper-${i}`);

  it('assigns every customer deterministically to the arm their bucket says, with the matching subject', () => {
    for (const id of ids.slice(0, 20)) {
      const r = run('subject-line-ab-test', { customer: customer(id, { first_name: 'Jo' }, { email: `${id}@example.com` }), trigger: trigger() });
      const expected = arm(id);
      expect(r.path[1]).toEqual(['subject-test', expected, expected === 'holdout' ? 'holdout' : 'split-assigned']);
      const subject = r.messages[0]?.content.subject;
      if (expected === 'a') expect(subject).toBe('30% off everything, Jo');
      if (expected === 'b') expect(subject).toBe('Last 48 hours: your Black Friday deal ends soon');
      if (expected === 'holdout') expect(r.messages).toEqual([]);
    }
  });

  it('the holdout receives nothing, still counts a conversion, and leaves when the goal window closes', () => {
    const id = ids.find((candidate) => arm(candidate) === 'holdout')!;
    const buys = { name: 'order_completed', properties: {}, timestamp: '2026-11-28T12:00:00Z' };
    const converted = run('subject-line-ab-test', { customer: customer(id, {}, { email: 'h@example.com' }), trigger: trigger(), events: [buys] });
    expect(converted.messages).toEqual([]);
    expect([converted.status, converted.endReason]).toEqual(['converted', 'converted']);

    const idle = run('subject-line-ab-test', { customer: customer(id, {}, { email: 'h@example.com' }), trigger: trigger() });
    expect([idle.status, idle.endReason]).toEqual(['completed', 'holdout']);
    expect(idle.result.progress.endedAt).toBe('2026-11-30T07:00:00.000Z');
  });

  it('splits a larger audience close to 45 / 45 / 10', () => {
    const counts = { a: 0, b: 0, holdout: 0 };
    for (let i = 0; i < 10_000; i++) counts[arm(`customer-${i}`)]++;
    expect(counts.a).toBeGreaterThan(4_300);
    expect(counts.b).toBeGreaterThan(4_300);
    expect(counts.holdout).toBeGreaterThan(850);
    expect(counts.holdout).toBeLessThan(1_150);
  });
});

describe('trial ending reminder', () => {
  const trigger = { name: 'trial_started', properties: {}, timestamp: '2026-10-20T14:00:00Z' };

  it('reminds at 10:00 New York time three days before the trial ends, after the DST change', () => {
    // Trial ends 2026-11-04; three days before is 2026-11-01, the day clocks fall back (EDT → EST).
    const kim = customer('kim', { first_name: 'Kim', plan: 'trial', trial_ends_at: '2026-11-04T17:00:00Z', timezone: 'America/New_York' }, { email: 'kim@example.com' });
    const r = run('trial-ending', { customer: kim, trigger });
    expect(r.path.map(([node, handle, reason]) => `${node}:${handle}:${reason}`)).toEqual([
      'trial-started:next:entered',
      'three-days-before:null:waiting',
      'three-days-before:next:wait-elapsed',
      'still-trial:yes:rules-matched',
      'reminder-email:next:sent',
      'reminder-in-app:next:sent',
    ]);
    expect(r.messages.map((m) => [m.channel, m.at])).toEqual([
      ['email', '2026-11-01T15:00:00.000Z'], // 10:00 EST
      ['in-app', '2026-11-01T15:00:00.000Z'],
    ]);
    expect(r.messages[0]!.content.text).toBe('Your trial ends on November 4. Choose a plan: https://app.acme.test/billing');
    expect(r.messages[1]!.content).toEqual({
      title: '3 days left in your trial',
      body: 'Keep your projects and history: pick a plan before November 4.',
      cta: { label: 'See plans', url: 'https://app.acme.test/billing' },
    });
  });

  it("uses the customer's own zone: 10:00 in Tokyo", () => {
    const r = run('trial-ending', { customer: customer('lee', { plan: 'trial', trial_ends_at: '2026-11-04', timezone: 'Asia/Tokyo' }, { email: 'lee@example.com' }), trigger });
    expect(r.messages[0]!.at).toBe('2026-11-01T01:00:00.000Z');
  });

  it('exits without a message when the trial end date is missing, or the customer already subscribed', () => {
    const missing = run('trial-ending', { customer: customer('max', { plan: 'trial' }, { email: 'max@example.com' }), trigger });
    expect([missing.status, missing.endReason, missing.messages.length]).toEqual(['exited', 'date-missing', 0]);
    const paid = run('trial-ending', { customer: customer('ned', { plan: 'pro', trial_ends_at: '2026-11-04' }, { email: 'ned@example.com' }), trigger });
    expect(paid.path.at(-1)).toEqual(['converted', null, 'exit-node']);
    expect(paid.messages).toEqual([]);
  });
});

describe('order shipped webhook', () => {
  const shipped = (props: Record<string, unknown>) => ({ name: 'order_shipped', properties: { orderId: 'o-1', ...props }, timestamp: '2026-11-25T23:00:00Z' });

  it('posts JSON to the CRM and texts the tracking link at night, being transactional', () => {
    const r = run('order-shipped-webhook', { customer: customer('ola', {}, { sms: ['+15550000001', 'opted-in'] }), trigger: shipped({ carrier: 'UPS', trackingUrl: 'https://ups.test/1Z' }) });
    expect(r.messages.map((m) => [m.channel, m.to, m.content])).toEqual([
      ['webhook', null, { method: 'POST', url: 'https://crm.example.test/api/shipments', headers: { 'X-Customer': 'ola' }, body: { customerId: 'ola', orderId: 'o-1', carrier: 'UPS' } }],
      ['sms', '+15550000001', { text: 'Your order o-1 is on its way: https://ups.test/1Z' }],
    ]);
  });

  it('skips the SMS with a template error when the tracking link is missing, and still syncs the CRM', () => {
    const r = run('order-shipped-webhook', { customer: customer('pat', {}, { sms: ['+15550000002', 'opted-in'] }), trigger: shipped({}) });
    expect(r.messages.map((m) => m.channel)).toEqual(['webhook']);
    expect(r.messages[0]!.content.body).toEqual({ customerId: 'pat', orderId: 'o-1', carrier: 'unknown' });
    expect(r.steps.at(-1)).toMatchObject({ nodeId: 'tracking-sms', reason: 'skipped:template-error' });
    expect(r.steps.at(-1)!.detail).toContain('content.sms.text');
  });
});
