import { describe, expect, it } from 'vitest';
import type { JourneyMachine } from '@waymark/shared';
import { customer, email, enter, everywhere, fire, inApp, journey, linear, messages, ofType, preferred, push, quietHours, sms, stepAt, steps, wait, webhook, type Ctx } from './journeys.ts';

/** The frequency cap (M7) and quiet hours (M8–M10). */

const noon = '2026-11-25T12:00:00Z';
const oneSend = (data: object, settings?: object) =>
  linear(
    [
      ['m', 'send', data],
      ['after', 'send', webhook()],
    ],
    { settings },
  );
const reasonAt = (machine: JourneyMachine, at: string, ctx: Ctx = {}) => stepAt(enter(machine, at, ctx).effects, 'm').reason;
const berlin = { customer: customer({ timezone: 'Europe/Berlin' }) };

describe('frequency cap', () => {
  it('M7 a channel that reached its daily cap is skipped with frequency-cap and the run goes on', () => {
    const r = enter(oneSend(email()), noon, { frequencyCap: { email: 2 }, sentToday: { email: 2 } });
    expect(stepAt(r.effects, 'm')).toMatchObject({ handle: 'next', reason: 'skipped:frequency-cap', detail: '2 email messages today; the cap is 2' });
    expect(stepAt(r.effects, 'after').reason).toBe('sent');
    expect(reasonAt(oneSend(email()), noon, { frequencyCap: { email: 2 }, sentToday: { email: 3 } })).toBe('skipped:frequency-cap');
    expect(reasonAt(oneSend(email()), noon, { frequencyCap: { email: 2 }, sentToday: { email: 1 } })).toBe('sent');
  });

  it('M7 sends earlier in the same advance count; skipped sends do not', () => {
    const machine = linear([
      ['broken', 'send', email('{{ customer.missing }}')],
      ['one', 'send', email('One')],
      ['two', 'send', email('Two')],
      ['three', 'send', email('Three')],
    ]);
    const r = enter(machine, noon, { frequencyCap: { email: 2 }, sentToday: { email: 0 } });
    expect(steps(r.effects).slice(1)).toEqual([
      ['broken', 'next', 'skipped:template-error'],
      ['one', 'next', 'sent'],
      ['two', 'next', 'sent'],
      ['three', 'next', 'skipped:frequency-cap'],
    ]);
    expect(stepAt(r.effects, 'three').detail).toBe('2 email messages today; the cap is 2');
    expect(enter(machine, noon, { frequencyCap: { email: 1 } }).effects.filter((e) => e.type === 'send-message')).toHaveLength(1);
  });

  it('M7 each channel has its own cap; in-app counts; a channel without a cap is unlimited', () => {
    const machine = linear([
      ['e', 'send', email()],
      ['s', 'send', sms()],
      ['i', 'send', inApp()],
      ['p', 'send', push()],
    ]);
    const r = enter(machine, noon, { customer: customer({}, everywhere), frequencyCap: { email: 0, 'in-app': 1 }, sentToday: { 'in-app': 1, push: 99 } });
    expect(
      steps(r.effects)
        .slice(1)
        .map(([node, , reason]) => [node, reason]),
    ).toEqual([
      ['e', 'skipped:frequency-cap'],
      ['s', 'sent'],
      ['i', 'skipped:frequency-cap'],
      ['p', 'sent'],
    ]);
  });

  it('M7 webhooks are neither counted nor capped', () => {
    const machine = linear([
      ['h1', 'send', webhook()],
      ['h2', 'send', webhook()],
      ['m', 'send', email()],
    ]);
    const r = enter(machine, noon, { frequencyCap: { webhook: 0, email: 1 }, sentToday: { webhook: 10 } });
    expect(messages(r.effects).map((m) => m.nodeId)).toEqual(['h1', 'h2', 'm']);
  });

  it('M7 transactional sends and journeys that bypass the cap are sent at the cap', () => {
    const capped = { frequencyCap: { email: 1 }, sentToday: { email: 5 } };
    expect(reasonAt(oneSend(email('Receipt', { transactional: true })), noon, capped)).toBe('sent');
    expect(reasonAt(oneSend(email(), { bypassFrequencyCap: true }), noon, capped)).toBe('sent');
  });

  it('M7 a capped preferred channel is skipped, not swapped for the next channel', () => {
    const r = enter(oneSend(preferred(['email', 'sms'])), noon, { customer: customer({}, everywhere), frequencyCap: { email: 0 } });
    expect(stepAt(r.effects, 'm').reason).toBe('skipped:frequency-cap');
    expect(messages(r.effects).map((m) => m.channel)).toEqual(['webhook']);
  });
});

describe('quiet hours', () => {
  it('M8 a message due in quiet hours waits for the window to open, keeping its idempotency key', () => {
    const machine = oneSend(email(), quietHours());
    const night = enter(machine, '2026-11-25T22:30:00Z', berlin); // 23:30 in Berlin
    expect(stepAt(night.effects, 'm')).toMatchObject({ handle: null, reason: 'deferred:quiet-hours', detail: 'quiet hours (21:00–08:00 Europe/Berlin); email waits until they end' });
    expect(night.progress.position).toEqual({ nodeId: 'm', waiting: 'quiet-hours', until: '2026-11-26T07:00:00.000Z', timerId: 'p1:m:1:quiet-hours' });
    expect(ofType(night.effects, 'schedule-timer')).toEqual([{ type: 'schedule-timer', timerId: 'p1:m:1:quiet-hours', nodeId: 'm', at: '2026-11-26T07:00:00.000Z', purpose: 'quiet-hours' }]);
    expect(messages(night.effects)).toEqual([]);
    const morning = fire(machine, night.progress, berlin);
    expect(messages(morning.effects).map((m) => [m.nodeId, m.idempotencyKey])).toEqual([
      ['m', 'p1:m:1'],
      ['after', 'p1:after:1'],
    ]);
    expect(steps(morning.effects)[0]).toEqual(['m', 'next', 'sent']);
    expect(morning.progress.visits.m).toBe(1);
  });

  it('M8 a message deferred after midnight waits only until the same morning', () => {
    expect(enter(oneSend(sms(), quietHours()), '2026-11-26T02:00:00Z', { customer: customer({ timezone: 'Europe/Berlin' }, everywhere) }).progress.position?.until).toBe('2026-11-26T07:00:00.000Z');
  });

  it('M8 a send deferred on its second visit in a loop keeps visit 2 in its timer and key', () => {
    const machine = journey({
      settings: quietHours(),
      nodes: [
        ['m', 'send', push()],
        ['pause', 'wait', wait(10, 'hours')],
      ],
      edges: [
        ['trigger', 'm'],
        ['m', 'pause'],
        ['pause', 'm'],
      ],
    });
    const ctx = { customer: customer({}, everywhere) };
    const first = enter(machine, noon, ctx);
    const deferred = fire(machine, first.progress, ctx);
    expect(deferred.progress.position).toMatchObject({ nodeId: 'm', timerId: 'p1:m:2:quiet-hours', until: '2026-11-26T08:00:00.000Z' });
    expect(messages(fire(machine, deferred.progress, ctx).effects).map((m) => m.idempotencyKey)).toEqual(['p1:m:2']);
  });

  it('M8 the send is decided again when the window opens', () => {
    const machine = oneSend(email(), quietHours());
    const night = enter(machine, '2026-11-25T23:00:00Z').progress;
    const gone = fire(machine, night, { customer: customer({}, { email: { address: 'ada@example.com', consent: 'unsubscribed' } }) });
    expect(steps(gone.effects)[0]).toEqual(['m', 'next', 'skipped:no-consent']);
    const capped = fire(machine, night, { frequencyCap: { email: 1 }, sentToday: { email: 1 } });
    expect(steps(capped.effects)[0]).toEqual(['m', 'next', 'skipped:frequency-cap']);
  });

  it('M8 transactional messages are sent inside quiet hours', () => {
    expect(reasonAt(oneSend(email('Your password reset', { transactional: true }), quietHours()), '2026-11-25T23:00:00Z')).toBe('sent');
  });

  it('M8 the window ends at its local time across DST (New York spring forward, Berlin fall back)', () => {
    const ny = { customer: customer({ timezone: 'America/New_York' }) };
    // Saturday 23:00 EST; Sunday 08:00 is EDT.
    expect(enter(oneSend(email(), quietHours()), '2026-03-08T04:00:00Z', ny).progress.position?.until).toBe('2026-03-08T12:00:00.000Z');
    // Saturday 23:30 CEST; Sunday 08:00 is CET.
    expect(enter(oneSend(email(), quietHours()), '2026-10-24T21:30:00Z', berlin).progress.position?.until).toBe('2026-10-25T07:00:00.000Z');
  });

  it('M9 with behavior skip the message records skipped:quiet-hours and the run goes on', () => {
    const r = enter(oneSend(email(), quietHours('21:00', '08:00', 'skip')), '2026-11-25T23:30:00Z');
    expect(stepAt(r.effects, 'm')).toMatchObject({ handle: 'next', reason: 'skipped:quiet-hours', detail: 'quiet hours (21:00–08:00 UTC)' });
    expect(stepAt(r.effects, 'after').reason).toBe('sent');
    expect([r.progress.status, ofType(r.effects, 'schedule-timer')]).toEqual(['completed', []]);
  });

  it('M10 a window whose start is after its end covers the night: start inclusive, end exclusive', () => {
    const machine = oneSend(email(), quietHours('21:00', '08:00', 'skip'));
    const at = (time: string) => reasonAt(machine, `2026-11-25T${time}:00Z`);
    expect(['20:59', '21:00', '23:59', '00:00', '07:59', '08:00', '12:00'].map(at)).toEqual([
      'sent',
      'skipped:quiet-hours',
      'skipped:quiet-hours',
      'skipped:quiet-hours',
      'skipped:quiet-hours',
      'sent',
      'sent',
    ]);
  });

  it('M10 a daytime window covers only the day; equal bounds cover nothing', () => {
    const lunch = oneSend(email(), quietHours('12:00', '14:00', 'skip'));
    expect(['11:59', '12:00', '13:59', '14:00', '23:00'].map((t) => reasonAt(lunch, `2026-11-25T${t}:00Z`))).toEqual(['sent', 'skipped:quiet-hours', 'skipped:quiet-hours', 'sent', 'sent']);
    const never = oneSend(email(), quietHours('09:00', '09:00', 'skip'));
    expect(['09:00', '03:00', '21:00'].map((t) => reasonAt(never, `2026-11-25T${t}:00Z`))).toEqual(['sent', 'sent', 'sent']);
  });

  it('M10 webhooks and in-app messages ignore quiet hours', () => {
    expect(reasonAt(oneSend(webhook(), quietHours()), '2026-11-25T23:00:00Z')).toBe('sent');
    expect(reasonAt(oneSend(inApp(), quietHours()), '2026-11-25T23:00:00Z')).toBe('sent');
  });
});
