import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { applyIdentify, type JourneyDocumentInput } from '@waymark/shared';
import { sandboxChannel } from '../src/channels/sandbox-channel.ts';
import { workspaces } from '../src/db/schema.ts';
import { firstDifference, outcomeLines, playScripts, previewOutcome, runtimeOutcome, storedMachine, type Outcome, type Played, type Script } from './support/parity-script.ts';
import { startTestRuntime } from './support/test-runtime.ts';

/*
 * Issue 11: the preview equals the real runtime (SPEC V1–V7). Every example journey is published on
 * its own runtime and database; scripted customers (distinct userIds) play their stories through it on
 * the test clock, stopped at every arrival and every due timer. The same stories then play through
 * `previewJourney` with the runtime's stored machine, its customer and run ids, the profile at entry
 * and the facts the runtime decided from; the entry, the path step by step (node, handle, reason,
 * detail, time), the rendered messages and the run at the end must be the same.
 */

const minutes = (amount: number) => ({ amount, unit: 'minutes' as const });
const hours = (amount: number) => ({ amount, unit: 'hours' as const });
const days = (amount: number) => ({ amount, unit: 'days' as const });

interface Parity {
  example: string;
  /** The runtime's clock at start, before every script's first call. */
  start: string;
  /** Both sides stop here: timers due later are left pending. */
  end: string;
  scripts: Script[];
  /** Journeys published beside the example (their messages count toward the frequency cap). */
  others?: JourneyDocumentInput[];
  frequencyCap?: Record<string, number>;
}

function describeParity(title: string, parity: Parity) {
  describe(title, () => {
    let rt: Awaited<ReturnType<typeof startTestRuntime>>;
    const outcomes = new Map<string, { play: Played; preview: Outcome; runtime: Outcome }>();

    beforeAll(async () => {
      // Webhooks go to the sandbox: a delivery failing against a made-up host would add steps of its own.
      rt = await startTestRuntime(parity.start, { channels: { webhook: sandboxChannel } });
      if (parity.frequencyCap) {
        await rt.db
          .update(workspaces)
          .set({ settings: { frequencyCap: parity.frequencyCap, allowPrivateNetworks: true } })
          .where(eq(workspaces.id, rt.workspaceId));
      }
      for (const other of parity.others ?? []) await rt.publish(other);
      const { id, version } = await rt.publish(structuredClone(examples.find((e) => e.id === parity.example)!.document));
      const machine = await storedMachine(rt, id, version);
      const played = await playScripts(rt, machine, parity.scripts, parity.end);
      for (const [userId, play] of played) outcomes.set(userId, { play, preview: previewOutcome(machine, play), runtime: await runtimeOutcome(rt, play) });
    }, 120_000);
    afterAll(async () => rt?.stop());

    for (const script of parity.scripts) {
      it(script.name, () => {
        const { play, preview, runtime } = outcomes.get(script.userId)!;
        expect(preview.entry, 'the entry decision').toEqual(runtime.entry);
        expect(firstDifference(preview.steps, runtime.steps), 'the first step where the preview and the runtime differ').toBeNull();
        expect(preview.messages, 'the messages as rendered').toEqual(runtime.messages);
        expect(preview.run, 'the run at the end (status, end reason, conversion, where it waits)').toEqual(runtime.run);
        expect(preview.again, 'what the trigger event did again').toEqual(runtime.again);
        expect(outcomeLines(runtime), 'what the script is meant to show').toEqual(expect.arrayContaining(script.shows ?? []));
        // V2: an identify call merges into the profile as the runtime stores it.
        if (!script.before) expect(applyIdentify({ id: play.customerId, externalId: script.userId, traits: {}, channels: {} }, script.profile)).toEqual(play.profile);
      });
    }
  });
}

/** Another journey's email (or SMS) on the same day: it counts toward the workspace's frequency cap. */
const otherJourney = (id: string, event: string, channel: 'email' | 'sms'): JourneyDocumentInput => ({
  schemaVersion: 1,
  id,
  name: id,
  settings: { reEntry: { mode: 'always' } },
  graph: {
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { entry: { kind: 'event', event } } },
      {
        id: 'letter',
        type: 'send',
        position: { x: 0, y: 100 },
        data: {
          delivery: { mode: 'channel', channel },
          content: channel === 'email' ? { email: { subject: 'This week at Acme', html: '<p>News</p>', text: 'News' } } : { sms: { text: 'Acme: 20% off today.' } },
        },
      },
    ],
    edges: [{ id: 'e', source: 'start', sourceHandle: 'next', target: 'letter' }],
  },
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

describeParity('welcome series: the preview plays as the runtime runs', {
  example: 'welcome-series',
  start: '2026-11-20T12:00:00Z',
  end: '2026-12-04T00:00:00Z',
  frequencyCap: { email: 1 },
  others: [otherJourney('newsletter', 'newsletter_requested', 'email')],
  scripts: [
    {
      name: 'V5 ana opens the welcome email: two days later the condition reads the open and she gets the push',
      userId: 'ana',
      profile: { first_name: 'Ana', email: 'ana@example.com', push_token: 'tok-ana', phone: '+15550000001', consent: { sms: 'opted-in', push: 'subscribed' } },
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' }, items: [{ kind: 'engagement', after: hours(3), nodeId: 'welcome-email', activity: 'opened' }] },
      shows: ['welcome-email:sent', 'opened-welcome:rules-matched', 'tips-push:sent', 'run:completed:completed'],
    },
    {
      name: 'V5 ben opens nothing (a push never sent cannot be opened) and gets the SMS',
      userId: 'ben',
      profile: { first_name: 'Ben', email: 'ben@example.com', phone: '+15550000002', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' }, items: [{ kind: 'engagement', after: hours(1), nodeId: 'tips-push', activity: 'opened' }] },
      shows: ['opened-welcome:rules-not-matched', 'nudge-sms:sent'],
    },
    {
      name: 'M4 cat has no phone: the SMS is skipped for the missing address',
      userId: 'cat',
      profile: { email: 'cat@example.com', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' } },
      shows: ['nudge-sms:skipped:no-address'],
    },
    {
      name: 'M3 dan has a phone but no SMS consent: skipped for consent',
      userId: 'dan',
      profile: { first_name: 'Dan', email: 'dan@example.com', phone: '+15550000004' },
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' } },
      shows: ['nudge-sms:skipped:no-consent'],
    },
    {
      name: 'C2 eve creates a project on day one: converted while waiting, nothing more is sent',
      userId: 'eve',
      profile: { first_name: 'Eve', email: 'eve@example.com', phone: '+15550000005', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' }, items: [{ kind: 'track', after: days(1), name: 'first_project_created', properties: { template: 'kanban' } }] },
      shows: ['run:converted:converted'],
    },
    {
      name: 'M8 fay signs up at 22:00 in New York: the email waits for 08:00 there',
      userId: 'fay',
      profile: { first_name: 'Fay', email: 'fay@example.com' },
      story: { entry: { kind: 'event', at: '2026-11-26T03:00:00Z' } },
      shows: ['welcome-email:deferred:quiet-hours', 'welcome-email:sent'],
    },
    {
      name: 'V2 V5 gil clicks (an open too), then moves to Tokyo: the push is due at midnight there and waits for 08:00 Tokyo',
      userId: 'gil',
      profile: { first_name: 'Gil', email: 'gil@example.com', push_token: 'tok-gil', consent: { push: 'subscribed' } },
      story: {
        entry: { kind: 'event', at: '2026-11-25T15:00:00Z' },
        items: [
          { kind: 'engagement', after: hours(1), nodeId: 'welcome-email', activity: 'clicked' },
          { kind: 'identify', after: days(1), traits: { timezone: 'Asia/Tokyo' } },
        ],
      },
      shows: ['opened-welcome:rules-matched', 'tips-push:deferred:quiet-hours', 'tips-push:sent'],
    },
    {
      name: 'V6 M7 hugo had the newsletter an hour before: the welcome email is over the cap of one email a day',
      userId: 'hugo',
      profile: { first_name: 'Hugo', email: 'hugo@example.com', phone: '+15550000008', consent: { sms: 'opted-in' } },
      before: [{ at: '2026-11-25T14:00:00Z', event: 'newsletter_requested' }],
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' } },
      shows: ['welcome-email:skipped:frequency-cap', 'nudge-sms:sent'],
    },
    {
      name: 'V6 iris in Los Angeles: the newsletter at 15:00 and the sign-up at 17:00 are one day in her zone (two in UTC), so the cap holds',
      userId: 'iris',
      profile: { first_name: 'Iris', email: 'iris@example.com', timezone: 'America/Los_Angeles' },
      before: [{ at: '2026-11-25T23:00:00Z', event: 'newsletter_requested' }],
      story: { entry: { kind: 'event', at: '2026-11-26T01:00:00Z' } },
      shows: ['welcome-email:skipped:frequency-cap'],
    },
    {
      name: 'V4 C6 R2 ivan signs up again after his run (refused: never) and creates a project after it ended: a late conversion',
      userId: 'ivan',
      profile: { first_name: 'Ivan', email: 'ivan@example.com' },
      story: {
        entry: { kind: 'event', at: '2026-11-25T15:00:00Z' },
        items: [
          { kind: 'track', after: days(3), name: 'signed_up' },
          { kind: 'track', after: days(4), name: 'first_project_created' },
        ],
      },
      shows: ['again:re-entry-never', 'run:completed:completed', 'converted'],
    },
    {
      name: 'V1 R2 jay had a run five days earlier: re-entry is never, he does not enter',
      userId: 'jay',
      profile: { first_name: 'Jay', email: 'jay@example.com' },
      before: [{ at: '2026-11-20T15:00:00Z', event: 'signed_up' }],
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' } },
      shows: ['refused:re-entry-never'],
    },
    {
      name: 'V1 kim’s sign-up reaches Waymark half an hour late: she enters when it arrives, and every wait counts from there',
      userId: 'kim',
      profile: { first_name: 'Kim', email: 'kim@example.com', phone: '+15550000011', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z', delay: minutes(30) } },
      shows: ['nudge-sms:sent'],
    },
    {
      name: 'V2 lee gives a phone and SMS consent on day one: the SMS two days later reaches him',
      userId: 'lee',
      profile: { first_name: 'Lee', email: 'lee@example.com' },
      story: { entry: { kind: 'event', at: '2026-11-25T15:00:00Z' }, items: [{ kind: 'identify', after: days(1), traits: { phone: '+15550000012', consent: { sms: 'opted-in' } } }] },
      shows: ['nudge-sms:sent'],
    },
    {
      name: 'G5 mia signs up the day before the story ends: both leave her in the two-day wait with the same timer pending',
      userId: 'mia',
      profile: { first_name: 'Mia', email: 'mia@example.com' },
      story: { entry: { kind: 'event', at: '2026-12-03T15:00:00Z' } },
      shows: ['two-days:waiting', 'run:active:null'],
    },
  ],
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

const cart = (cartId: string, total = 60) => ({
  cartId,
  total,
  items: [
    { name: 'Mug', quantity: 2, price: 12 },
    { name: 'Tea', quantity: 1, price: 36 },
  ],
});

describeParity('abandoned cart: the preview plays as the runtime runs', {
  example: 'abandoned-cart',
  start: '2026-11-25T09:00:00Z',
  end: '2026-12-03T00:00:00Z',
  scripts: [
    {
      name: 'C1 amy buys the cart two hours later: converted while waiting for the purchase',
      userId: 'amy',
      profile: { first_name: 'Amy', email: 'amy@example.com' },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-amy') }, items: [{ kind: 'track', after: hours(2), name: 'order_completed', properties: { cartId: 'c-amy' } }] },
      shows: ['run:converted:converted'],
    },
    {
      name: 'S9 bea buys another cart: the wait goes on, times out, she is emailed and leaves as reached by email',
      userId: 'bea',
      profile: { email: 'bea@example.com' },
      story: {
        entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-bea') },
        items: [{ kind: 'track', after: hours(1), name: 'order_completed', properties: { cartId: 'c-other' } }],
      },
      shows: ['wait-for-purchase:event-timeout', 'cart-email:sent', 'email-consented:rules-matched', 'email-reached:exit-node'],
    },
    {
      name: 'M4 cal has no email: the email is skipped, a day later the SMS goes',
      userId: 'cal',
      profile: { first_name: 'Cal', phone: '+447700900003', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-cal') } },
      shows: ['cart-email:skipped:no-address', 'email-consented:rules-not-matched', 'cart-sms:sent'],
    },
    {
      name: 'V3 dee’s purchase is stamped before the timeout but arrives after it: the email has gone, the purchase converts the run',
      userId: 'dee',
      profile: { first_name: 'Dee', email: 'dee@example.com' },
      story: {
        entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-dee') },
        items: [{ kind: 'track', after: hours(3), delay: hours(2), name: 'order_completed', properties: { cartId: 'c-dee' } }],
      },
      shows: ['wait-for-purchase:event-timeout', 'cart-email:sent', 'run:converted:converted'],
    },
    {
      name: 'V1 R6 eli’s cart is empty: the trigger filter refuses the entry',
      userId: 'eli',
      profile: { email: 'eli@example.com' },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-eli', 0) } },
      shows: ['refused:audience-filter'],
    },
    {
      name: 'V1 R5 flo’s event has no cartId: no run without the key',
      userId: 'flo',
      profile: { email: 'flo@example.com' },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: { total: 20 } } },
      shows: ['refused:no-key'],
    },
    {
      name: 'V2 gus unsubscribes from email by an identify call after the email: the condition reads it, the SMS goes',
      userId: 'gus',
      profile: { first_name: 'Gus', email: 'gus@example.com', phone: '+447700900007', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-gus') }, items: [{ kind: 'identify', after: hours(10), traits: { consent: { email: 'unsubscribed' } } }] },
      shows: ['cart-email:sent', 'email-consented:rules-not-matched', 'cart-sms:sent'],
    },
    {
      name: 'M8 V4 C6 hana’s reminder is due at 22:00 and waits for 08:00; she buys after the run completed: a late conversion',
      userId: 'hana',
      profile: { first_name: 'Hana', email: 'hana@example.com' },
      story: {
        entry: { kind: 'event', at: '2026-11-25T18:00:00Z', properties: cart('c-hana') },
        items: [{ kind: 'track', after: days(3), name: 'order_completed', properties: { cartId: 'c-hana' } }],
      },
      shows: ['cart-email:deferred:quiet-hours', 'cart-email:sent', 'email-reached:exit-node', 'run:completed:exit-node', 'converted'],
    },
    {
      name: 'V5 ian unsubscribes through the cart email: the email consent is withdrawn and the SMS goes',
      userId: 'ian',
      profile: { first_name: 'Ian', email: 'ian@example.com', phone: '+447700900009', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-ian') }, items: [{ kind: 'engagement', after: hours(6), nodeId: 'cart-email', activity: 'unsubscribed' }] },
      shows: ['cart-email:sent', 'email-consented:rules-not-matched', 'cart-sms:sent'],
    },
    {
      name: 'V4 R1 R5 jo abandons the same cart again (already in the journey) and then another one (a run of its own)',
      userId: 'jo',
      profile: { first_name: 'Jo', email: 'jo@example.com' },
      story: {
        entry: { kind: 'event', at: '2026-11-25T10:00:00Z', properties: cart('c-jo-1') },
        items: [
          { kind: 'track', after: minutes(30), name: 'cart_abandoned', properties: cart('c-jo-1') },
          { kind: 'track', after: hours(1), name: 'cart_abandoned', properties: cart('c-jo-2', 24) },
        ],
      },
      shows: ['again:already-in-journey', 'again:entered'],
    },
    {
      name: 'Z1 M8 ken lives in New York: quiet hours are his (the email due at 22:00 there waits for 08:00 New York, not London)',
      userId: 'ken',
      profile: { first_name: 'Ken', email: 'ken@example.com', timezone: 'America/New_York' },
      story: { entry: { kind: 'event', at: '2026-11-25T23:00:00Z', properties: cart('c-ken') } },
      shows: ['cart-email:deferred:quiet-hours', 'cart-email:sent'],
    },
  ],
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

describeParity('re-engagement: the preview plays as the runtime runs', {
  example: 're-engagement',
  start: '2026-11-15T10:00:00Z',
  end: '2026-12-05T00:00:00Z',
  scripts: [
    {
      name: 'M5 S14 fay prefers email and does not come back: emailed, then flagged dormant a week later',
      userId: 'fay',
      profile: { first_name: 'Fay', unread_count: 4, email: 'fay@example.com', push_token: 'tok-fay', consent: { push: 'subscribed' }, preferred_channel: 'email' },
      story: { entry: { kind: 'event', at: '2026-11-25T11:00:00Z' } },
      shows: ['come-back:sent', 'came-back:rules-not-matched', 'mark-dormant:profile-updated', 'run:completed:completed'],
    },
    {
      name: 'M5 gus is unsubscribed from email and has no push token: the SMS goes',
      userId: 'gus',
      profile: { email: 'gus@example.com', unsubscribed: true, phone: '+33600000000', consent: { sms: 'opted-in' }, preferred_channel: 'push' },
      story: { entry: { kind: 'event', at: '2026-11-25T11:00:00Z' } },
      shows: ['come-back:sent'],
    },
    {
      name: 'C1 C2 hal comes back twice: converted once, the run goes on and leaves by came-back',
      userId: 'hal',
      profile: { push_token: 'tok-hal', consent: { push: 'subscribed' } },
      story: {
        entry: { kind: 'event', at: '2026-11-25T11:00:00Z' },
        items: [
          { kind: 'track', after: days(2), name: 'session_started' },
          { kind: 'track', after: days(3), name: 'session_started' },
        ],
      },
      shows: ['came-back:rules-matched', 'welcome-back:exit-node', 'converted'],
    },
    {
      name: 'C4 ivy deletes her account: the exit criterion ends the run, no conversion',
      userId: 'ivy',
      profile: { push_token: 'tok-ivy', consent: { push: 'subscribed' } },
      story: { entry: { kind: 'event', at: '2026-11-25T11:00:00Z' }, items: [{ kind: 'track', after: days(1), name: 'account_deleted' }] },
      shows: ['run:exited:exited-early'],
    },
    {
      name: 'M5 jon can be reached on no channel: skipped with each channel’s refusal',
      userId: 'jon',
      profile: { first_name: 'Jon' },
      story: { entry: { kind: 'event', at: '2026-11-25T11:00:00Z' } },
      shows: ['come-back:skipped:no-reachable-channel'],
    },
    {
      name: 'M8 kim goes inactive at 21:00 in Paris: the push waits for 09:00',
      userId: 'kim',
      profile: { push_token: 'tok-kim', consent: { push: 'subscribed' } },
      story: { entry: { kind: 'event', at: '2026-11-25T20:00:00Z' } },
      shows: ['come-back:deferred:quiet-hours', 'come-back:sent'],
    },
    {
      name: 'Z1 lou is in New York, where it is 15:00: the push goes at once',
      userId: 'lou',
      profile: { push_token: 'tok-lou', consent: { push: 'subscribed' }, timezone: 'America/New_York' },
      story: { entry: { kind: 'event', at: '2026-11-25T20:00:00Z' } },
      shows: ['come-back:sent'],
    },
    {
      name: 'V1 R4 max’s last run entered ten days ago: inside the 30-day cooldown he does not enter',
      userId: 'max',
      profile: { first_name: 'Max', push_token: 'tok-max', consent: { push: 'subscribed' } },
      before: [{ at: '2026-11-15T11:00:00Z', event: 'inactive_30_days' }],
      story: { entry: { kind: 'event', at: '2026-11-25T11:00:00Z' } },
      shows: ['refused:re-entry-cooldown'],
    },
    {
      name: 'V3 C6 nia’s session on day six reaches Waymark on day eight: the check on day seven did not see it, the late session still converts',
      userId: 'nia',
      profile: { push_token: 'tok-nia', consent: { push: 'subscribed' } },
      story: { entry: { kind: 'event', at: '2026-11-25T11:00:00Z' }, items: [{ kind: 'track', after: days(6), delay: days(2), name: 'session_started' }] },
      shows: ['came-back:rules-not-matched', 'mark-dormant:profile-updated', 'run:completed:completed', 'converted'],
    },
  ],
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

const shopper = (userId: string, extra: Record<string, unknown> = {}): Pick<Script, 'userId' | 'profile'> => ({ userId, profile: { email: `${userId}@example.com`, ...extra } });
const promo = '2026-11-27T07:00:00Z';

describeParity('subject line A/B test: the preview plays as the runtime runs', {
  example: 'subject-line-ab-test',
  start: '2026-11-27T06:00:00Z',
  end: '2026-12-02T00:00:00Z',
  // The arm is the bucket of the runtime's customer id, new in every run: any arm must agree.
  scripts: [
    ...['s1', 's2', 's3', 's4'].map(
      (userId, i): Script => ({
        name: `S12 C6 ${userId} gets the arm of their bucket and buys a day later: converted in the window, late if the run had ended`,
        ...shopper(userId, i % 2 ? { first_name: `Jo${i}` } : {}),
        story: { entry: { kind: 'event', at: promo }, items: [{ kind: 'track', after: days(1), name: 'order_completed', properties: { total: 80 } }] },
        shows: ['converted'],
      }),
    ),
    {
      name: 'C3 s5 buys after the three-day window: no conversion',
      ...shopper('s5'),
      story: { entry: { kind: 'event', at: promo }, items: [{ kind: 'track', after: days(4), name: 'order_completed', properties: { total: 80 } }] },
    },
    {
      name: 'V4 R2 s6 joins the audience again: refused (still in it, or never again)',
      ...shopper('s6', { first_name: 'Sia' }),
      story: { entry: { kind: 'event', at: promo }, items: [{ kind: 'track', after: hours(2), name: 'promo_audience_joined' }] },
    },
    {
      name: 'M4 s7 has no email address: skipped if the arm sends',
      userId: 's7',
      profile: { first_name: 'Sev' },
      story: { entry: { kind: 'event', at: promo } },
    },
  ],
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

const trial = { plan: 'trial' };
const started = '2026-11-25T15:00:00Z';

describeParity('trial ending: the preview plays as the runtime runs', {
  example: 'trial-ending',
  start: '2026-11-20T12:00:00Z',
  end: '2027-03-15T00:00:00Z',
  scripts: [
    {
      name: 'S4 V4 R1 tia is reminded three days before her trial ends at 10:00 New York; starting the trial again is refused',
      userId: 'tia',
      profile: { ...trial, first_name: 'Tia', company: 'Tia Co', email: 'tia@example.com', trial_ends_at: '2026-12-10' },
      story: { entry: { kind: 'event', at: started }, items: [{ kind: 'track', after: days(1), name: 'trial_started' }] },
      shows: ['again:already-in-journey', 'reminder-email:sent', 'reminder-in-app:sent'],
    },
    {
      name: 'Z1 tom is in Berlin: 10:00 in his own zone',
      userId: 'tom',
      profile: { ...trial, first_name: 'Tom', email: 'tom@example.com', trial_ends_at: '2026-12-10T12:00:00Z', timezone: 'Europe/Berlin' },
      story: { entry: { kind: 'event', at: started } },
      shows: ['reminder-email:sent'],
    },
    {
      name: 'C4 val subscribes: the exit criterion ends the run before the reminder',
      userId: 'val',
      profile: { ...trial, email: 'val@example.com', trial_ends_at: '2026-12-10' },
      story: { entry: { kind: 'event', at: started }, items: [{ kind: 'track', after: days(6), name: 'subscription_started', properties: { plan: 'pro' } }] },
      shows: ['run:exited:exited-early'],
    },
    {
      name: 'V2 wes’s plan changes by an identify call mid-wait: the condition reads it and he leaves by the exit node',
      userId: 'wes',
      profile: { ...trial, email: 'wes@example.com', trial_ends_at: '2026-12-10' },
      story: { entry: { kind: 'event', at: started }, items: [{ kind: 'identify', after: days(6), traits: { plan: 'pro' } }] },
      shows: ['still-trial:rules-not-matched', 'converted:exit-node'],
    },
    {
      name: 'S6 xia has no trial end date: the run ends at once',
      userId: 'xia',
      profile: { ...trial, email: 'xia@example.com' },
      story: { entry: { kind: 'event', at: started } },
      shows: ['three-days-before:wait-date-missing', 'run:exited:date-missing'],
    },
    {
      name: 'S5 yan’s date is already past: the reminder goes now',
      userId: 'yan',
      profile: { ...trial, first_name: 'Yan', email: 'yan@example.com', trial_ends_at: '2026-11-27' },
      story: { entry: { kind: 'event', at: started } },
      shows: ['three-days-before:wait-already-due', 'reminder-email:sent'],
    },
    {
      name: 'M3 zoe is unsubscribed from email: only the in-app banner',
      userId: 'zoe',
      profile: { ...trial, first_name: 'Zoe', email: 'zoe@example.com', trial_ends_at: '2026-12-10', unsubscribed: true },
      story: { entry: { kind: 'event', at: started } },
      shows: ['reminder-email:skipped:no-consent', 'reminder-in-app:sent'],
    },
    {
      name: 'V2 Z1 uma moves to Tokyo mid-wait: the wait stays where it was set, the reminder names the end date of her new zone',
      userId: 'uma',
      profile: { ...trial, first_name: 'Uma', email: 'uma@example.com', trial_ends_at: '2026-12-11T02:00:00Z' },
      story: { entry: { kind: 'event', at: started }, items: [{ kind: 'identify', after: days(2), traits: { timezone: 'Asia/Tokyo' } }] },
      shows: ['reminder-email:sent'],
    },
    {
      name: 'Z2 ned’s wait crosses the spring DST change: 10:00 New York time is still 10:00',
      userId: 'ned',
      profile: { ...trial, first_name: 'Ned', email: 'ned@example.com', trial_ends_at: '2027-03-17' },
      story: { entry: { kind: 'event', at: started } },
      shows: ['three-days-before:wait-elapsed', 'reminder-email:sent'],
    },
    {
      name: 'V1 R2 pia started a trial before (it ended without a date): re-entry is never',
      userId: 'pia',
      profile: { ...trial, first_name: 'Pia', email: 'pia@example.com' },
      before: [{ at: '2026-11-20T15:00:00Z', event: 'trial_started' }],
      story: { entry: { kind: 'event', at: started } },
      shows: ['refused:re-entry-never'],
    },
  ],
});

// ────────────────────────────────────────────────────────────────────────────────────────────────

const shipped = '2026-11-25T23:30:00Z';

describeParity('order shipped: the preview plays as the runtime runs', {
  example: 'order-shipped-webhook',
  start: '2026-11-25T22:00:00Z',
  end: '2026-11-27T00:00:00Z',
  frequencyCap: { sms: 1 },
  others: [otherJourney('sms-promo', 'promo_texted', 'sms')],
  scripts: [
    {
      name: 'V6 M7 ola had a promotional SMS today: the transactional tracking SMS bypasses the cap, the CRM gets the shipment',
      userId: 'ola',
      profile: { phone: '+15550000001', consent: { sms: 'opted-in' } },
      before: [{ at: '2026-11-25T23:00:00Z', event: 'promo_texted' }],
      story: { entry: { kind: 'event', at: shipped, properties: { orderId: 'o-1', carrier: 'UPS', trackingUrl: 'https://ups.test/o-1' } } },
      shows: ['crm-sync:sent', 'tracking-sms:sent'],
    },
    {
      name: 'M3 pat has no SMS consent: transactional is not consent',
      userId: 'pat',
      profile: { phone: '+15550000002' },
      story: { entry: { kind: 'event', at: shipped, properties: { orderId: 'o-3', carrier: 'UPS', trackingUrl: 'https://ups.test/o-3' } } },
      shows: ['crm-sync:sent', 'tracking-sms:skipped:no-consent'],
    },
    {
      name: 'M6 quinn’s shipment has no tracking URL: the SMS is a template error, the CRM gets carrier "unknown"',
      userId: 'quinn',
      profile: { phone: '+15550000003', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: shipped, properties: { orderId: 'o-4' } } },
      shows: ['tracking-sms:skipped:template-error'],
    },
    {
      name: 'V1 R5 rae’s shipment has no orderId: refused for the missing key',
      userId: 'rae',
      profile: { phone: '+15550000004', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: shipped, properties: { carrier: 'UPS' } } },
      shows: ['refused:no-key'],
    },
    {
      name: 'V1 sam sends another event: the journey does not start (and the runtime records nothing)',
      userId: 'sam',
      profile: { phone: '+15550000005', consent: { sms: 'opted-in' } },
      story: { entry: { kind: 'event', at: shipped, name: 'order_placed', properties: { orderId: 'o-5' } } },
      shows: ['refused:other-event'],
    },
    {
      name: 'V4 R3 tess’s same order ships again a minute later: her run has ended, re-entry is always, a new run starts',
      userId: 'tess',
      profile: { phone: '+15550000006', consent: { sms: 'opted-in' } },
      story: {
        entry: { kind: 'event', at: shipped, properties: { orderId: 'o-6', trackingUrl: 'https://ups.test/o-6' } },
        items: [{ kind: 'track', after: minutes(1), name: 'order_shipped', properties: { orderId: 'o-6', trackingUrl: 'https://ups.test/o-6' } }],
      },
      shows: ['again:entered'],
    },
  ],
});
