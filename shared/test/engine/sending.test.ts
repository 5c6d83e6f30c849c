import { describe, expect, it } from 'vitest';
import type { CustomerProfile, JourneyMachine } from '@waymark/shared';
import { customer, email, enter, event, everywhere, feed, fire, inApp, journey, linear, messages, preferred, push, quietHours, sms, stepAt, wait, webhook, type Ctx } from './journeys.ts';

/** What a send emits, consent, reachability, channel choice and templates (M1–M6); caps and quiet hours are in sending-limits.test.ts. */

const now = '2026-11-25T12:00:00Z';
/** One send node `m`, then a webhook `after` that shows the run went on. */
const oneSend = (data: object, settings?: object) =>
  linear(
    [
      ['m', 'send', data],
      ['after', 'send', webhook()],
    ],
    { settings },
  );
const outcome = (machine: JourneyMachine, ctx: Ctx = {}, trigger = event('start', now)) => {
  const r = enter(machine, now, ctx, trigger);
  const step = stepAt(r.effects, 'm');
  return { reason: step.reason, detail: step.detail, message: messages(r.effects).find((m) => m.nodeId === 'm'), wentOn: stepAt(r.effects, 'after').reason === 'sent' };
};
const channels = (c: CustomerProfile['channels']) => ({ customer: customer({ first_name: 'Ada' }, c) });

describe('sending', () => {
  it('M1 a send emits one send-message with every template rendered, the address, the channel and the key', () => {
    const data = {
      delivery: { mode: 'channel', channel: 'email' },
      content: { email: { subject: 'Hi {{ customer.first_name }}, your {{ event.plan }} plan', preheader: '{{ journey.name }}', html: '<p>{{ customer.email }}</p>' } },
    };
    const r = enter(linear([['hello', 'send', data]]), now, { customer: customer({ first_name: 'Ada' }) }, event('start', now, { plan: 'pro' }));
    expect(messages(r.effects)).toEqual([
      {
        type: 'send-message',
        idempotencyKey: 'p1:hello:1',
        nodeId: 'hello',
        channel: 'email',
        to: 'ada@example.com',
        content: { subject: 'Hi Ada, your pro plan', preheader: 'Test journey', html: '<p>ada@example.com</p>', links: [] },
        transactional: false,
      },
    ]);
    expect(stepAt(r.effects, 'hello')).toMatchObject({ handle: 'next', reason: 'sent', detail: 'email to ada@example.com' });
  });

  it('M1 each channel sends to its own address: phone, push token, none for in-app and webhooks', () => {
    const hook = webhook('{"id": "{{ customer.id }}", "items": {{ event.items | size }}}', { headers: { 'X-Customer': '{{ customer.id }}' } });
    const machine = linear([
      ['s', 'send', sms('Hi {{ customer.first_name }}')],
      ['p', 'send', push()],
      ['i', 'send', inApp()],
      ['w', 'send', hook],
    ]);
    const sent = messages(enter(machine, now, channels(everywhere), event('start', now, { items: ['a', 'b'] })).effects);
    expect(sent.map(({ nodeId, channel, to }) => [nodeId, channel, to])).toEqual([
      ['s', 'sms', '+15550100'],
      ['p', 'push', 'push-token-1'],
      ['i', 'in-app', null],
      ['w', 'webhook', null],
    ]);
    expect(sent.map((m) => m.content)).toEqual([
      { text: 'Hi Ada' },
      { title: 'Psst', body: 'Come back' },
      { title: 'Welcome back', body: 'Have a look' },
      { method: 'POST', url: 'https://hooks.example.com/c1', headers: { 'X-Customer': 'c1' }, body: { id: 'c1', items: 2 } },
    ]);
  });

  it('M1 templates see the journey and the trigger; a transactional send says so', () => {
    const r = enter(linear([['m', 'send', email('{{ journey.id }} / {{ journey.trigger_event }} / {{ journey.entered_at }}', { transactional: true })]]), now);
    expect(messages(r.effects)[0]).toMatchObject({ content: { subject: 'j / start / 2026-11-25T12:00:00Z' }, transactional: true });
  });

  it('M2 a node visited again in a loop gets a new visit number and so a new key', () => {
    const machine = journey({
      nodes: [
        ['m', 'send', email()],
        ['day', 'wait', wait(1)],
      ],
      edges: [
        ['trigger', 'm'],
        ['m', 'day'],
        ['day', 'm'],
      ],
    });
    let r = enter(machine, now);
    const keys = messages(r.effects).map((m) => m.idempotencyKey);
    for (let i = 0; i < 3; i++) {
      r = fire(machine, r.progress);
      keys.push(...messages(r.effects).map((m) => m.idempotencyKey));
    }
    expect(keys).toEqual(['p1:m:1', 'p1:m:2', 'p1:m:3', 'p1:m:4']);
  });

  it('M2 a deferred send whose timer is delivered twice is sent once', () => {
    const machine = linear(
      [
        ['m', 'send', email()],
        ['day', 'wait', wait(1)],
      ],
      { settings: quietHours() },
    );
    const night = enter(machine, '2026-11-25T23:00:00Z').progress;
    const first = fire(machine, night);
    const duplicate = feed(machine, first.progress, { type: 'timer-fired', timerId: night.position!.timerId }, { now: '2026-11-26T08:00:05Z' });
    expect(messages(first.effects).map((m) => m.idempotencyKey)).toEqual(['p1:m:1']);
    expect(duplicate).toEqual({ progress: first.progress, effects: [], ignored: 'stale-timer' });
  });

  describe('consent and reachability', () => {
    it('M3 unsubscribed email, push and in-app are skipped with no-consent and the run goes on', () => {
      const unsubscribed = { email: { address: 'ada@example.com', consent: 'unsubscribed' }, push: { address: 'tok', consent: 'unsubscribed' }, 'in-app': { consent: 'unsubscribed' } } as const;
      for (const data of [email(), push(), inApp()]) {
        const o = outcome(oneSend(data), channels(unsubscribed));
        expect([o.reason, o.message, o.wentOn]).toEqual(['skipped:no-consent', undefined, true]);
      }
      expect(outcome(oneSend(email()), channels(unsubscribed)).detail).toBe('email: unsubscribed');
    });

    it('M3 by default email and in-app may send when opted in, subscribed or silent; push is opt-in by subscription: an address is the yes', () => {
      for (const consent of ['opted-in', 'subscribed', undefined] as const) {
        const c = { email: { address: 'a@b.c', consent }, push: { address: 'tok', consent }, 'in-app': { consent } };
        expect([email(), push(), inApp()].map((data) => outcome(oneSend(data), channels(c)).reason)).toEqual(['sent', 'sent', 'sent']);
      }
      expect(outcome(oneSend(push()), channels({}))).toMatchObject({ reason: 'skipped:no-address', detail: 'push: no address' });
      expect(outcome(oneSend(push()), channels({ push: { address: 'tok', consent: 'unsubscribed' } }))).toMatchObject({ reason: 'skipped:no-consent', detail: 'push: unsubscribed' });
    });

    it('M3 SMS needs explicit consent by default: opted-in or subscribed', () => {
      const withConsent = (consent?: 'opted-in' | 'subscribed' | 'unsubscribed') => outcome(oneSend(sms()), channels({ sms: { address: '+15550100', consent } })).reason;
      expect([withConsent(undefined), withConsent('unsubscribed'), withConsent('opted-in'), withConsent('subscribed')]).toEqual(['skipped:no-consent', 'skipped:no-consent', 'sent', 'sent']);
      expect(outcome(oneSend(sms()), channels({ sms: { address: '+15550100' } })).detail).toBe('sms: no SMS consent (the workspace requires opt-in)');
    });

    it('M3 the workspace policy says what no state means: opt-in email needs a yes, opt-out SMS sends to the silent', () => {
      const silent = { email: { address: 'a@b.c' }, sms: { address: '+15550100' }, push: { address: 'tok' }, 'in-app': {} };
      const policy = { email: 'opt-in', sms: 'opt-out', push: 'opt-out', 'in-app': 'opt-in' } as const;
      const reasons = [email(), sms(), push(), inApp()].map((data) => outcome(oneSend(data), { ...channels(silent), consentPolicy: policy }));
      expect(reasons.map((o) => o.reason)).toEqual(['skipped:no-consent', 'sent', 'sent', 'skipped:no-consent']);
      expect(reasons[0]!.detail).toBe('email: no email consent (the workspace requires opt-in)');
      // A channel the policy leaves out keeps its default.
      expect(outcome(oneSend(sms()), { ...channels(silent), consentPolicy: { email: 'opt-in' } }).reason).toBe('skipped:no-consent');
    });

    it('M3 unsubscribed refuses and opted-in / subscribed allow whatever the policy', () => {
      for (const mode of ['opt-in', 'opt-out'] as const) {
        const policy = { email: mode, sms: mode, push: mode, 'in-app': mode };
        for (const data of [email(), sms(), push(), inApp()]) {
          const state = (consent: 'opted-in' | 'subscribed' | 'unsubscribed') => ({
            email: { address: 'a@b.c', consent },
            sms: { address: '+15550100', consent },
            push: { address: 'tok', consent },
            'in-app': { consent },
          });
          expect(outcome(oneSend(data), { ...channels(state('unsubscribed')), consentPolicy: policy }).reason).toBe('skipped:no-consent');
          expect(outcome(oneSend(data), { ...channels(state('opted-in')), consentPolicy: policy }).reason).toBe('sent');
          expect(outcome(oneSend(data), { ...channels(state('subscribed')), consentPolicy: policy }).reason).toBe('sent');
        }
      }
    });

    it('M4 no address, phone or token records no-address and the run goes on', () => {
      const cases: [object, CustomerProfile['channels']][] = [
        [email(), {}],
        [email(), { email: { address: '' } }],
        [email(), { email: { address: null } }],
        [sms(), { sms: { consent: 'opted-in' } }],
        [push(), { push: { consent: 'subscribed' } }],
      ];
      for (const [data, c] of cases) expect(outcome(oneSend(data), channels(c))).toMatchObject({ reason: 'skipped:no-address', wentOn: true });
      expect(outcome(oneSend(sms()), channels({ sms: { consent: 'opted-in' } })).detail).toBe('sms: no address');
    });

    it('M4 in-app and webhooks need no address', () => {
      expect([outcome(oneSend(inApp()), channels({})).reason, outcome(oneSend(webhook()), channels({})).reason]).toEqual(['sent', 'sent']);
    });
  });

  describe('M5 preferred channel', () => {
    const machine = oneSend(preferred(['push', 'email', 'sms']));
    const pick = (profile: Partial<CustomerProfile>) => outcome(machine, { customer: { ...customer({}, everywhere), ...profile } });

    it('M5 the customer’s preferred channel is tried first when listed, then the list in order', () => {
      expect(pick({ preferredChannel: 'sms' }).message).toMatchObject({ channel: 'sms', to: '+15550100', content: { text: 'By SMS' }, idempotencyKey: 'p1:m:1' });
      expect(pick({}).message?.channel).toBe('push');
      expect(pick({ preferredChannel: 'in-app' }).message?.channel).toBe('push');
    });

    it('M5 a preferred channel that is refused falls back through the list, skipping refusals', () => {
      const c = { email: { address: 'ada@example.com' }, sms: { address: '+15550100' } };
      expect(pick({ preferredChannel: 'sms', channels: c }).message).toMatchObject({ channel: 'email', to: 'ada@example.com', content: { subject: 'By email' } });
    });

    it('M5 when no channel is consented and reachable, each refusal is recorded in the order tried', () => {
      const c = { email: { address: 'ada@example.com', consent: 'unsubscribed' }, sms: { address: '+15550100' } } as const;
      expect(pick({ channels: c })).toMatchObject({
        reason: 'skipped:no-reachable-channel',
        detail: 'push: no address; email: unsubscribed; sms: no SMS consent (the workspace requires opt-in)',
        wentOn: true,
      });
      const subscribedNoToken = { ...c, push: { consent: 'subscribed' } } as const;
      expect(pick({ channels: subscribedNoToken, preferredChannel: 'sms' }).detail).toBe('sms: no SMS consent (the workspace requires opt-in); push: no address; email: unsubscribed');
    });

    it('M5 a preferred-channel list of one still reports no-reachable-channel', () => {
      expect(outcome(oneSend(preferred(['sms'])), channels({ sms: { address: '+15550100' } })).reason).toBe('skipped:no-reachable-channel');
    });
  });

  describe('M6 template errors', () => {
    const subjectOf = (subject: string, traits: Record<string, unknown> = {}) => outcome(oneSend(email(subject)), { customer: customer(traits) });

    it('M6 a missing variable skips the send naming the field, and the run goes on', () => {
      const o = subjectOf('Hi {{ customer.first_name }}');
      expect([o.reason, o.message, o.wentOn]).toEqual(['skipped:template-error', undefined, true]);
      expect(o.detail).toMatch(/^content\.email\.subject: undefined variable: customer\.first_name/);
    });

    it('M6 default guards a missing or empty variable', () => {
      expect(subjectOf('Hi {{ customer.first_name | default: "there" }}').message?.content.subject).toBe('Hi there');
      expect(subjectOf('Hi {{ customer.first_name | default: "there" }}', { first_name: '' }).message?.content.subject).toBe('Hi there');
      expect(subjectOf('Hi {{ customer.address.city | default: "friend" }}').message?.content.subject).toBe('Hi friend');
    });

    it('M6 default guards only as the first filter; after another filter the missing variable still skips', () => {
      expect(subjectOf('Hi {{ customer.first_name | default: "there" | upcase }}').message?.content.subject).toBe('Hi THERE');
      expect(subjectOf('Hi {{ customer.first_name | capitalize | default: "there" }}')).toMatchObject({ reason: 'skipped:template-error' });
    });

    it('M6 dates print in the customer\'s zone; a calendar date prints as itself; "now" is the engine\'s now', () => {
      const ny = { timezone: 'America/New_York', ends: '2026-12-11T02:00:00Z', day: '2026-11-27' };
      expect(subjectOf('{{ customer.ends | date: "%B %d %H:%M" }}', ny).message?.content.subject).toBe('December 10 21:00');
      expect(subjectOf('{{ customer.ends | date: "%B %d %H:%M", "Europe/Paris" }}', ny).message?.content.subject).toBe('December 11 03:00');
      expect(subjectOf('{{ customer.day | date: "%B %d" }}', ny).message?.content.subject).toBe('November 27');
      expect(subjectOf('{{ "now" | date: "%Y-%m-%d %H:%M" }}', { timezone: 'Asia/Tokyo' }).message?.content.subject).toBe('2026-11-25 21:00'); // now is 12:00Z
    });

    it('M6 if guards a missing variable', () => {
      expect(subjectOf('{% if customer.vip %}VIP {% endif %}Sale').message?.content.subject).toBe('Sale');
    });

    it('M6 a failing required filter skips the send', () => {
      expect(subjectOf('{{ customer.coupon | required }}', { coupon: '' }).reason).toBe('skipped:template-error');
      expect(subjectOf('{{ customer.coupon | required }}').reason).toBe('skipped:template-error');
      expect(subjectOf('{{ customer.coupon | required }}', { coupon: 'XMAS' }).message?.content.subject).toBe('XMAS');
    });

    it('M6 a webhook body that is not JSON skips the send; the json filter keeps quoted values valid', () => {
      const traits = { last_name: 'O"Brien' };
      expect(outcome(oneSend(webhook('{ "id": {{ customer.id }}')))).toMatchObject({
        reason: 'skipped:template-error',
        detail: 'content.webhook.body: the body did not render to valid JSON',
        wentOn: true,
      });
      expect(outcome(oneSend(webhook('{ "name": "{{ customer.last_name }}" }')), { customer: customer(traits) }).message?.content.body).toEqual({ name: 'O"Brien' });
      expect(outcome(oneSend(webhook('{ "name": {{ customer.last_name | json }} }')), { customer: customer(traits) }).message?.content.body).toEqual({ name: 'O"Brien' });
    });

    it('M6 a missing variable in a nested field names that field', () => {
      const hook = webhook(undefined, { headers: { Authorization: 'Bearer {{ customer.api_token }}' } });
      expect(outcome(oneSend(hook)).detail).toMatch(/^content\.webhook\.headers\.Authorization: /);
      const banner = inApp('Hi', { cta: { label: 'Open', url: '{{ event.deep_link }}' } });
      expect(outcome(oneSend(banner)).detail).toMatch(/^content\.in-app\.cta\.url: /);
    });
  });
});
