import { describe, expect, it } from 'vitest';
import { applyIdentify, compileJourney, ConsentPolicy as ApiConsentPolicy, defaultConsentPolicy, previewJourney, Story, type CustomerProfile, type JourneyMachine } from '@waymark/shared';
import { customer, document, email, enter, event, linear, messages, preferred, rules, stepAt, webhook, type Ctx } from './journeys.ts';

/** The workspace's consent policy, bounced addresses and email topics (M11–M13). */

const now = '2026-11-25T12:00:00Z';
const oneSend = (data: object) =>
  linear([
    ['m', 'send', data],
    ['after', 'send', webhook()],
  ]);
const outcome = (machine: JourneyMachine, ctx: Ctx = {}) => {
  const r = enter(machine, now, ctx, event('start', now));
  const step = stepAt(r.effects, 'm');
  return { reason: step.reason, detail: step.detail, message: messages(r.effects).find((m) => m.nodeId === 'm'), wentOn: stepAt(r.effects, 'after').reason === 'sent' };
};
/** A condition `is` on "reachable and consented on email", both branches ending at an exit. */
const reachableEmail = () =>
  compileJourney(
    document({
      nodes: [
        ['is', 'condition', rules('all', { kind: 'channel', channel: 'email', state: 'reachable-and-consented' })],
        ['end', 'exit', {}],
      ],
      edges: [
        ['trigger', 'is'],
        ['is', 'end', 'yes'],
        ['is', 'end', 'no'],
      ],
    }),
  );
const who = (channels: CustomerProfile['channels'], extra: Partial<CustomerProfile> = {}) => ({ customer: { ...customer({}, channels), ...extra } });

describe('consent policy', () => {
  it('M11 the policy lives in the engine and the API re-exports it; defaults: email and in-app opt-out, SMS and push opt-in', () => {
    expect(defaultConsentPolicy).toEqual({ email: 'opt-out', sms: 'opt-in', push: 'opt-in', 'in-app': 'opt-out' });
    expect(ApiConsentPolicy.safeParse({ sms: 'opt-out' }).success).toBe(true);
    expect(ApiConsentPolicy.safeParse({ sms: 'maybe' }).success).toBe(false);
  });

  it('M11 a channel condition is "reachable and consented" under the workspace policy', () => {
    const machine = reachableEmail();
    const ask = (ctx: Ctx) => stepAt(enter(machine, now, ctx).effects, 'is').reason;
    const silent = who({ email: { address: 'a@b.c' } });
    expect(ask(silent)).toBe('rules-matched');
    expect(ask({ ...silent, consentPolicy: { email: 'opt-in' } })).toBe('rules-not-matched');
    expect(ask({ ...who({ email: { address: 'a@b.c', consent: 'opted-in' } }), consentPolicy: { email: 'opt-in' } })).toBe('rules-matched');
  });
});

describe('bounced addresses', () => {
  it('M12 a bounced address records skipped:bounced and the run goes on', () => {
    const o = outcome(oneSend(email()), who({ email: { address: 'ada@example.com', bounced: true } }));
    expect(o).toMatchObject({ reason: 'skipped:bounced', detail: 'email: address bounced', message: undefined, wentOn: true });
  });

  it('M12 consent is decided before the bounce: an unsubscribed, bounced address is no-consent', () => {
    expect(outcome(oneSend(email()), who({ email: { address: 'a@b.c', consent: 'unsubscribed', bounced: true } })).reason).toBe('skipped:no-consent');
  });

  it('M12 in preferred-channel mode a bounced channel is passed over like one without consent', () => {
    const c = { email: { address: 'ada@example.com', bounced: true }, sms: { address: '+15550100', consent: 'opted-in' } } as const;
    const o = outcome(oneSend(preferred(['email', 'sms'])), who(c, { preferredChannel: 'email' }));
    expect(o.message).toMatchObject({ channel: 'sms', to: '+15550100' });
    const none = outcome(oneSend(preferred(['email'])), who({ email: { address: 'ada@example.com', bounced: true } }));
    expect(none).toMatchObject({ reason: 'skipped:no-reachable-channel', detail: 'email: address bounced' });
  });

  it('M12 a bounced address is not reachable for channel conditions', () => {
    const machine = reachableEmail();
    expect(stepAt(enter(machine, now, who({ email: { address: 'a@b.c', bounced: true } })).effects, 'is').reason).toBe('rules-not-matched');
  });

  it('M12 an identify with a new address drops the bounce; the same address keeps it', () => {
    const bounced = customer({}, { email: { address: 'old@example.com', bounced: true, consent: 'subscribed' } });
    expect(applyIdentify(bounced, { email: 'old@example.com' }).channels.email).toEqual({ address: 'old@example.com', bounced: true, consent: 'subscribed' });
    expect(applyIdentify(bounced, { email: 'new@example.com' }).channels.email).toEqual({ address: 'new@example.com', consent: 'subscribed' });
    expect(applyIdentify(bounced, { plan: 'pro' }).channels.email).toEqual({ address: 'old@example.com', bounced: true, consent: 'subscribed' });
  });
});

describe('topics', () => {
  const news = oneSend(email('News', { topic: 'news' }));

  it('M13 an email of a topic the customer left is skipped with no-consent, naming the topic', () => {
    const o = outcome(news, who({ email: { address: 'a@b.c', topics: { news: false } } }));
    expect(o).toMatchObject({ reason: 'skipped:no-consent', detail: 'email: left the topic news', wentOn: true });
  });

  it('M13 a topic joined or never chosen sends; other topics left do not matter; a send without a topic ignores topics', () => {
    for (const topics of [undefined, { news: true }, { offers: false }] as (Record<string, boolean> | undefined)[])
      expect(outcome(news, who({ email: { address: 'a@b.c', topics } })).reason).toBe('sent');
    expect(outcome(oneSend(email()), who({ email: { address: 'a@b.c', topics: { news: false } } })).reason).toBe('sent');
  });

  it('M13 in preferred-channel mode an email whose topic was left is passed over; other channels ignore the topic', () => {
    const data = { ...preferred(['email', 'sms']), topic: 'news' };
    const c = { email: { address: 'a@b.c', topics: { news: false } }, sms: { address: '+15550100', consent: 'opted-in' } } as const;
    expect(outcome(oneSend(data), who(c)).message).toMatchObject({ channel: 'sms' });
  });

  it('M13 a send node topic is an id: lower-case letters, digits, - or _', () => {
    const doc = (topic: string) => document({ nodes: [['m', 'send', email('x', { topic })]], edges: [['trigger', 'm']] });
    expect(compileJourney(doc('product-news')).states.m).toMatchObject({ topic: 'product-news' });
    expect(() => compileJourney(doc('Product News'))).toThrow();
  });
});

describe('preview', () => {
  const machine = linear([['m', 'send', { delivery: { mode: 'channel', channel: 'sms' }, content: { sms: { text: 'Hi' } } }]]);
  const story = Story.parse({ entry: { kind: 'event', at: now } });
  const silent = customer({}, { sms: { address: '+15550100' } });

  it('V8 the preview decides with the workspace policy it is given', () => {
    const step = (consentPolicy?: ApiConsentPolicy) =>
      previewJourney({ machine, customer: silent, story, context: consentPolicy ? { consentPolicy } : {} }).rows.find((r) => r.kind === 'step' && r.nodeId === 'm');
    expect(step()).toMatchObject({ reason: 'skipped:no-consent', detail: 'sms: no SMS consent (the workspace requires opt-in)' });
    expect(step({ sms: 'opt-out' })).toMatchObject({ reason: 'sent' });
  });

  it('V8 an identify in the story with a new address makes a bounced channel reachable again', () => {
    const bounced = customer({}, { email: { address: 'old@example.com', bounced: true } });
    const later = linear([
      ['w', 'wait', { wait: { kind: 'duration', duration: { amount: 1, unit: 'days' } } }],
      ['m', 'send', email()],
    ]);
    const played = previewJourney({
      machine: later,
      customer: bounced,
      story: Story.parse({ entry: { kind: 'event', at: now }, items: [{ kind: 'identify', after: { amount: 1, unit: 'hours' }, traits: { email: 'new@example.com' } }] }),
    });
    expect(played.messages).toMatchObject([{ channel: 'email', to: 'new@example.com' }]);
  });
});
