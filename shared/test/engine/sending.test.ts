import { describe, expect, it } from 'vitest';
import { customer, email, enter, event, fire, journey, messages, ofType, send, sms, steps, wait } from './journeys.ts';

const now = '2026-11-25T12:00:00Z';
const one = (data: object, settings?: object) => journey({ settings, nodes: [['m', 'send', data]], edges: [['trigger', 'm']] });
const reasonOf = (r: ReturnType<typeof enter>) => steps(r.effects).find(([node]) => node === 'm');
const detailOf = (r: ReturnType<typeof enter>) => ofType(r.effects, 'record-step').find((s) => s.nodeId === 'm')!.detail;

describe('sending', () => {
  it('M2 a node visited again in a loop gets a new idempotency key', () => {
    const machine = journey({
      nodes: [['m', 'send', email()], ['day', 'wait', wait(1)]],
      edges: [['trigger', 'm'], ['m', 'day'], ['day', 'm']],
    });
    let r = enter(machine, now);
    const keys = messages(r.effects).map((m) => m.idempotencyKey);
    for (let i = 0; i < 3; i++) {
      r = fire(machine, r.progress);
      keys.push(...messages(r.effects).map((m) => m.idempotencyKey));
    }
    expect(keys).toEqual(['p1:m:1', 'p1:m:2', 'p1:m:3', 'p1:m:4']);
  });

  it('M3 no consent is a logged skip and the run goes on; SMS needs explicit consent', () => {
    const machine = journey({ nodes: [['m', 'send', email()], ['t', 'send', sms()]], edges: [['trigger', 'm'], ['m', 't']] });
    const r = enter(machine, now, { customer: customer({}, { email: { address: 'a@b.c', consent: 'unsubscribed' }, sms: { address: '+1555' } }) });
    expect(steps(r.effects).slice(1)).toEqual([
      ['m', 'next', 'skipped:no-consent'],
      ['t', 'next', 'skipped:no-consent'],
    ]);
    expect(r.progress.status).toBe('completed');
    const ok = enter(machine, now, { customer: customer({}, { email: { address: 'a@b.c', consent: 'opted-in' }, sms: { address: '+1555', consent: 'opted-in' } }) });
    expect(messages(ok.effects).map((m) => m.channel)).toEqual(['email', 'sms']);
  });

  it('M4 no address is a logged skip', () => {
    const r = enter(one(email()), now, { customer: customer({}, {}) });
    expect(reasonOf(r)).toEqual(['m', 'next', 'skipped:no-address']);
  });

  it('M5 preferred channel first, then the list in order; none reachable is a logged skip with every refusal', () => {
    const data = {
      delivery: { mode: 'preferred-channel', channels: ['push', 'email', 'sms'] },
      content: { push: { title: 'P', body: 'p' }, email: { subject: 'E', html: 'e' }, sms: { text: 's' } },
    };
    const machine = one(data);
    const everything = { push: { address: 'tok' }, email: { address: 'a@b.c' }, sms: { address: '+1', consent: 'opted-in' as const } };
    const pick = (preferredChannel: 'sms' | undefined, channels: object) =>
      messages(enter(machine, now, { customer: { ...customer({}, channels), preferredChannel } }).effects)[0]?.channel;
    expect(pick('sms', everything)).toBe('sms');
    expect(pick(undefined, everything)).toBe('push');
    expect(pick(undefined, { email: { address: 'a@b.c' } })).toBe('email');
    const none = enter(machine, now, { customer: customer({}, { email: { address: 'a@b.c', consent: 'unsubscribed' } }) });
    expect(reasonOf(none)).toEqual(['m', 'next', 'skipped:no-reachable-channel']);
    expect(detailOf(none)).toBe('push: no address; email: no consent; sms: no consent');
  });

  it('M6 a missing variable skips the send naming the field; default and if guard it; an empty required value and bad webhook JSON skip too', () => {
    expect(reasonOf(enter(one(email('Hi {{ customer.first_name }}')), now))).toEqual(['m', 'next', 'skipped:template-error']);
    expect(detailOf(enter(one(email('Hi {{ customer.first_name }}')), now))).toContain('content.email.subject');
    expect(messages(enter(one(email('Hi {{ customer.first_name | default: "there" }}')), now).effects)[0]!.content.subject).toBe('Hi there');
    expect(messages(enter(one(email('Hi{% if customer.vip %} VIP{% endif %}')), now).effects)[0]!.content.subject).toBe('Hi');
    expect(reasonOf(enter(one(email('{{ customer.nickname | required }}')), now, { customer: customer({ nickname: '' }) }))).toEqual(['m', 'next', 'skipped:template-error']);
    const hook = { delivery: { mode: 'channel', channel: 'webhook' }, content: { webhook: { method: 'POST', url: 'https://x.test', body: '{ "id": {{ customer.id }} }' } } };
    const bad = enter(one(hook), now);
    expect(reasonOf(bad)).toEqual(['m', 'next', 'skipped:template-error']);
    expect(detailOf(bad)).toBe('content.webhook.body: the body did not render to valid JSON');
  });

  it('M7 the frequency cap counts earlier sends and sends in the same advance; webhooks and transactional sends bypass it', () => {
    const machine = journey({ nodes: [['m', 'send', email()], ['m2', 'send', email('Two')], ['tx', 'send', email('Receipt', { transactional: true })]], edges: [['trigger', 'm'], ['m', 'm2'], ['m2', 'tx']] });
    const r = enter(machine, now, { frequencyCap: { email: 2 }, sentToday: { email: 1 } });
    expect(steps(r.effects).slice(1)).toEqual([
      ['m', 'next', 'sent'],
      ['m2', 'next', 'skipped:frequency-cap'],
      ['tx', 'next', 'sent'],
    ]);
    const hook = { delivery: { mode: 'channel', channel: 'webhook' }, content: { webhook: { method: 'POST', url: 'https://x.test' } } };
    expect(reasonOf(enter(one(hook), now, { frequencyCap: { email: 0 }, sentToday: { email: 5 } }))).toEqual(['m', 'next', 'sent']);
    expect(reasonOf(enter(one(email(), { bypassFrequencyCap: true }), now, { frequencyCap: { email: 0 } }))).toEqual(['m', 'next', 'sent']);
  });

  const quiet = (behavior: 'defer' | 'skip', start = '21:00', end = '08:00') => ({ quietHours: { start, end, behavior } });

  it('M8 quiet hours defer the send until the window opens, with the same idempotency key', () => {
    const machine = one(email(), quiet('defer'));
    const night = enter(machine, '2026-11-25T22:30:00Z', { customer: customer({ timezone: 'Europe/Berlin' }) }); // 23:30 Berlin
    expect(reasonOf(night)).toEqual(['m', null, 'deferred:quiet-hours']);
    expect(night.progress.position).toMatchObject({ nodeId: 'm', waiting: 'quiet-hours', until: '2026-11-26T07:00:00.000Z' });
    expect(messages(night.effects)).toEqual([]);
    const morning = fire(machine, night.progress, { customer: customer({ timezone: 'Europe/Berlin' }) });
    expect(messages(morning.effects).map((m) => m.idempotencyKey)).toEqual(['p1:m:1']);
    expect(morning.progress.visits.m).toBe(1);
  });

  it('M9 quiet hours with skip drop the message with a reason and go on', () => {
    const r = enter(one(email(), quiet('skip')), '2026-11-25T23:30:00Z');
    expect(reasonOf(r)).toEqual(['m', 'next', 'skipped:quiet-hours']);
    expect(r.progress.status).toBe('completed');
  });

  it('M10 quiet hours spanning midnight cover the night; equal bounds cover nothing; webhooks and transactional sends ignore them', () => {
    const machine = one(email(), quiet('skip', '22:00', '06:00'));
    expect(reasonOf(enter(machine, '2026-11-25T05:59:00Z'))![2]).toBe('skipped:quiet-hours');
    expect(reasonOf(enter(machine, '2026-11-25T06:00:00Z'))![2]).toBe('sent');
    expect(reasonOf(enter(machine, '2026-11-25T21:59:00Z'))![2]).toBe('sent');
    expect(reasonOf(enter(one(email(), quiet('skip', '09:00', '09:00')), '2026-11-25T09:30:00Z'))![2]).toBe('sent');
    const hook = { delivery: { mode: 'channel', channel: 'webhook' }, content: { webhook: { method: 'POST', url: 'https://x.test' } } };
    expect(reasonOf(enter(one(hook, quiet('skip')), '2026-11-25T23:00:00Z'))![2]).toBe('sent');
    expect(reasonOf(enter(one(email('R', { transactional: true }), quiet('skip')), '2026-11-25T23:00:00Z'))![2]).toBe('sent');
  });

  it('M8 a deferred send re-checks consent when the window opens', () => {
    const machine = one(email(), quiet('defer'));
    const night = enter(machine, '2026-11-25T23:00:00Z');
    const r = fire(machine, night.progress, { customer: customer({}, { email: { address: 'a@b.c', consent: 'unsubscribed' } }) });
    expect(reasonOf(r)).toEqual(['m', 'next', 'skipped:no-consent']);
  });

  it('M1 event properties render through the trigger event', () => {
    const r = enter(one(email('{{ event.items | size }} items, first {{ event.items[0].name }}')), now, {}, event('start', now, { items: [{ name: 'Shoe' }, { name: 'Sock' }] }));
    expect(messages(r.effects)[0]!.content.subject).toBe('2 items, first Shoe');
    expect(send(one(email()), r.progress, event('x', now)).ignored).toBe('not-active');
  });
});
