import { describe, expect, it } from 'vitest';
import { PreviewContext, previewJourney, Story, type JourneyMachine, type PreviewContextInput, type PreviewRow, type StoryInput } from '@waymark/shared';
import { customer, deepFreeze, email, goal, journey, linear, quietHours, sms, traitIs, wait, waitForEvent } from '../engine/journeys.ts';

const at = '2026-11-25T10:00:00.000Z';
const minutes = (amount: number) => ({ amount, unit: 'minutes' as const });
const hours = (amount: number) => ({ amount, unit: 'hours' as const });
const days = (amount: number) => ({ amount, unit: 'days' as const });

function preview(machine: JourneyMachine, story: Partial<StoryInput> = {}, context: PreviewContextInput = {}, profile = customer({ first_name: 'Ada', plan: 'free' })) {
  return previewJourney({ machine, customer: profile, story: Story.parse({ entry: { kind: 'event', at }, ...story }), context: PreviewContext.parse(context) });
}
const lines = (rows: PreviewRow[]) =>
  rows.map((row) =>
    row.kind === 'step'
      ? `${row.nodeId}:${row.handle ?? '-'}:${row.reason}`
      : row.kind === 'input'
        ? `input:${row.item.kind === 'track' ? row.item.name : row.item.kind}:${row.outcome}`
        : row.kind === 'entry'
          ? `entry:${row.entry.enters ? 'yes' : row.entry.code}`
          : row.kind,
  );

/** start → plan is pro? → yes: pro email, no: free email */
const byPlan = () =>
  journey({
    settings: { reEntry: { mode: 'never' } },
    nodes: [
      ['pause', 'wait', wait(1)],
      ['is-pro', 'condition', traitIs('plan', 'pro')],
      ['pro', 'send', email('Pro tips')],
      ['free', 'send', email('Upgrade?')],
    ],
    edges: [
      ['trigger', 'pause'],
      ['pause', 'is-pro'],
      ['is-pro', 'pro', 'yes'],
      ['is-pro', 'free', 'no'],
    ],
  });

describe('preview', () => {
  it('V1 tells whether the customer would enter, and why not: another event, the audience filter, a pause, re-entry, cooldown, a missing key', () => {
    const machine = byPlan();
    expect(preview(machine).entry).toEqual({ enters: true, at, key: null });
    expect(preview(machine, { entry: { kind: 'event', at, name: 'page_viewed' } }).entry).toMatchObject({
      enters: false,
      code: 'other-event',
      reason: 'this journey starts on start, not on page_viewed',
    });
    expect(preview(machine, {}, { paused: true }).entry).toMatchObject({ enters: false, code: 'paused' });
    expect(preview(machine, {}, { pastRuns: [{ status: 'completed', enteredAt: '2026-10-01T00:00:00Z' }] }).entry).toMatchObject({
      enters: false,
      code: 're-entry-never',
      reason: 'has been in this journey before',
    });
    const cooled = journey({ settings: { reEntry: { mode: 'after', cooldown: days(30) } }, nodes: [['x', 'exit', {}]], edges: [['trigger', 'x']] });
    expect(preview(cooled, {}, { pastRuns: [{ status: 'completed', enteredAt: '2026-11-20T00:00:00Z' }] }).entry).toMatchObject({ enters: false, code: 're-entry-cooldown' });
    const keyed = journey({ settings: { concurrency: { mode: 'per-key', property: 'cartId' } }, nodes: [['x', 'exit', {}]], edges: [['trigger', 'x']] });
    expect(preview(keyed).entry).toMatchObject({ enters: false, code: 'no-key', reason: 'the trigger event has no cartId' });
    expect(preview(keyed, { entry: { kind: 'event', at, properties: { cartId: 'c-1' } } }).entry).toEqual({ enters: true, at, key: 'c-1' });
    const filtered = journey({ entry: { kind: 'event', event: 'start', filter: [{ path: 'total', operator: 'greater-than', value: 50 }] }, nodes: [['x', 'exit', {}]], edges: [['trigger', 'x']] });
    expect(preview(filtered, { entry: { kind: 'event', at, properties: { total: 20 } } }).entry).toMatchObject({ enters: false, code: 'audience-filter' });
    const refused = preview(machine, {}, { paused: true });
    expect([refused.run, refused.rows.length, refused.messages]).toEqual([null, 1, []]);
  });

  it('V1 an event that reaches Waymark late enters when it arrives, and the timeline says when', () => {
    const result = preview(byPlan(), { entry: { kind: 'event', at, delay: hours(3) } });
    expect(result.entry).toEqual({ enters: true, at: '2026-11-25T13:00:00.000Z', key: null });
    expect(result.run!.enteredAt).toBe('2026-11-25T13:00:00.000Z');
    expect(result.run!.trigger!.timestamp).toBe(at);
  });

  it('V2 identify calls between steps change the profile the next decision reads: a plan upgrade takes the yes branch', () => {
    const before = preview(byPlan());
    expect(lines(before.rows)).toEqual(['entry:yes', 'trigger:next:entered', 'pause:-:waiting', 'pause:next:wait-elapsed', 'is-pro:no:rules-not-matched', 'free:next:sent', 'exit']);
    const upgraded = preview(byPlan(), { items: [{ kind: 'identify', after: hours(2), traits: { plan: 'pro' } }] });
    expect(lines(upgraded.rows)).toEqual([
      'entry:yes',
      'trigger:next:entered',
      'pause:-:waiting',
      'input:identify:profile-changed',
      'pause:next:wait-elapsed',
      'is-pro:yes:rules-matched',
      'pro:next:sent',
      'exit',
    ]);
    expect(upgraded.messages.map((m) => m.content.subject)).toEqual(['Pro tips']);
    expect(upgraded.customer.traits.plan).toBe('pro');
  });

  it('V2 identify merges addresses and consent as the runtime does: an SMS opt-in lets the text go out', () => {
    const texting = linear([['hello', 'send', sms('Hi {{ customer.first_name }}')]], { settings: { reEntry: { mode: 'always' } } });
    expect(preview(texting).rows.find((r) => r.kind === 'step' && r.nodeId === 'hello')).toMatchObject({ reason: 'skipped:no-consent' });
    const later = linear(
      [
        ['pause', 'wait', wait(1, 'hours')],
        ['hello', 'send', sms('Hi {{ customer.first_name }}')],
      ],
      {},
    );
    const result = preview(later, { items: [{ kind: 'identify', after: minutes(10), traits: { phone: '+15550001111', consent: { sms: 'opted-in' } } }] });
    expect(result.messages).toEqual([expect.objectContaining({ channel: 'sms', to: '+15550001111', content: { text: 'Hi Ada' } })]);
    expect(result.customer.channels.sms).toEqual({ address: '+15550001111', consent: 'opted-in' });
  });

  it('V2 a time zone change moves a wall-clock wait', () => {
    const morning = linear(
      [
        ['pause', 'wait', wait(1, 'hours')],
        ['nine', 'wait', { wait: { kind: 'time-of-day', time: '09:00' } }],
        ['hello', 'send', email()],
      ],
      {},
    );
    const result = preview(morning, { items: [{ kind: 'identify', after: minutes(30), traits: { timezone: 'Asia/Tokyo' } }] });
    expect(result.messages).toHaveLength(1);
    const sent = result.rows.find((r) => r.kind === 'step' && r.nodeId === 'hello')!;
    expect(sent.at).toBe('2026-11-26T00:00:00.000Z'); // 09:00 in Tokyo
    expect(result.zone).toBe('Asia/Tokyo');
  });

  it('V3 an event stamped before a timeout but received after it changes nothing: the timeout branch was taken', () => {
    const awaiting = journey({
      nodes: [
        ['w', 'wait-for-event', waitForEvent('purchase', undefined, hours(4))],
        ['thanks', 'send', email('Thanks')],
        ['nudge', 'send', email('Still there?')],
      ],
      edges: [
        ['trigger', 'w'],
        ['w', 'thanks', 'event'],
        ['w', 'nudge', 'timeout'],
      ],
    });
    const onTime = preview(awaiting, { items: [{ kind: 'track', after: hours(3), name: 'purchase' }] });
    expect(onTime.messages.map((m) => m.content.subject)).toEqual(['Thanks']);
    const late = preview(awaiting, { items: [{ kind: 'track', after: hours(3), name: 'purchase', delay: hours(2) }] });
    expect(late.messages.map((m) => m.content.subject)).toEqual(['Still there?']);
    const input = late.rows.find((r) => r.kind === 'input')!;
    expect(input).toMatchObject({ at: '2026-11-25T15:00:00.000Z', outcome: 'run-ended', event: { timestamp: '2026-11-25T13:00:00.000Z' } });
  });

  it('V4 a goal event after the run finished still converts inside the window (a late conversion), and not after it', () => {
    const machine = linear([['hello', 'send', email()]], { settings: goal() });
    const late = preview(machine, { items: [{ kind: 'track', after: days(3), name: 'purchase' }] });
    expect(lines(late.rows)).toEqual(['entry:yes', 'trigger:next:entered', 'hello:next:sent', 'exit', 'input:purchase:late-conversion', 'conversion']);
    expect(late.rows.find((r) => r.kind === 'conversion')).toMatchObject({ late: true, event: 'purchase' });
    expect(late.run!.convertedAt).toBe('2026-11-28T10:00:00.000Z');
    const tooLate = preview(machine, { items: [{ kind: 'track', after: days(8), name: 'purchase' }] });
    expect(lines(tooLate.rows).at(-1)).toBe('input:purchase:run-ended');
  });

  it('V5 opening the email is engagement the next condition reads, and a Message Opened event like the runtime records', () => {
    const machine = journey({
      nodes: [
        ['hello', 'send', email('Hi')],
        ['pause', 'wait', wait(2)],
        ['opened', 'condition', { rules: { kind: 'group', match: 'all', rules: [{ kind: 'message', nodeId: 'hello', activity: 'opened' }] } }],
        ['yes', 'exit', {}],
        ['no', 'send', email('Did you see this?')],
      ],
      edges: [
        ['trigger', 'hello'],
        ['hello', 'pause'],
        ['pause', 'opened'],
        ['opened', 'yes', 'yes'],
        ['opened', 'no', 'no'],
      ],
    });
    expect(preview(machine).messages).toHaveLength(2);
    const opened = preview(machine, { items: [{ kind: 'engagement', after: hours(1), nodeId: 'hello', activity: 'opened' }] });
    expect(opened.messages).toHaveLength(1);
    expect(lines(opened.rows)).toContain('input:Message Opened:not-waiting-for-it');
    expect(opened.rows.find((r) => r.kind === 'step' && r.nodeId === 'opened')).toMatchObject({ handle: 'yes' });
    const nothing = preview(machine, { items: [{ kind: 'engagement', after: hours(1), nodeId: 'no', activity: 'clicked' }] });
    expect(nothing.rows.find((r) => r.kind === 'input')).toMatchObject({ outcome: 'no-such-message' });
  });

  it("V6 what other journeys sent that day counts toward the frequency cap, in the customer's calendar day", () => {
    const machine = linear([['hello', 'send', email()]]);
    const capped = preview(machine, {}, { sentToday: { email: 2 }, frequencyCap: { email: 2 } });
    expect(capped.rows.find((r) => r.kind === 'step' && r.nodeId === 'hello')).toMatchObject({ reason: 'skipped:frequency-cap', detail: '2 email messages today; the cap is 2' });
    expect(preview(machine, {}, { sentToday: { email: 1 }, frequencyCap: { email: 2 } }).messages).toHaveLength(1);
    // The next day in the customer's zone the count starts again.
    const tomorrow = linear(
      [
        ['pause', 'wait', wait(1)],
        ['hello', 'send', email()],
      ],
      {},
    );
    expect(preview(tomorrow, {}, { sentToday: { email: 5 }, frequencyCap: { email: 2 } }).messages).toHaveLength(1);
  });

  it('V7 a preview is pure: it reads its arguments only, changes none of them, and gives the same answer twice', () => {
    const machine = deepFreeze(
      linear(
        [
          ['hello', 'send', email()],
          ['later', 'wait', wait(1)],
        ],
        { settings: { ...goal(), ...quietHours() } },
      ),
    );
    const story = deepFreeze(Story.parse({ entry: { kind: 'event', at: '2026-11-25T23:00:00Z' }, items: [{ kind: 'track', after: hours(30), name: 'purchase' }] }));
    const profile = deepFreeze(customer({ first_name: 'Ada' }));
    const first = previewJourney({ machine, customer: profile, story });
    expect(previewJourney({ machine, customer: profile, story })).toEqual(first);
    // Quiet hours defer the first email to 08:00 in the journey's zone; the step says until when.
    expect(first.rows.find((r) => r.kind === 'step' && r.reason === 'deferred:quiet-hours')).toMatchObject({ until: '2026-11-26T08:00:00.000Z' });
  });

  it('shows each scripted input before the steps it causes, what the run waits for at the end, and the path taken', () => {
    const machine = byPlan();
    const result = preview(machine, { horizon: hours(12) });
    expect(lines(result.rows)).toEqual(['entry:yes', 'trigger:next:entered', 'pause:-:waiting', 'pending']);
    expect(result.rows.at(-1)).toMatchObject({ nodeId: 'pause', until: '2026-11-26T10:00:00.000Z' });
    const full = preview(machine);
    expect(full.visited).toEqual(['trigger', 'pause', 'is-pro', 'free']);
    expect(full.taken).toEqual(['trigger:next', 'pause:next', 'is-pro:no', 'free:next']);
  });

  it('says whether the trigger event again would start another run, by the re-entry rule', () => {
    const result = preview(byPlan(), { items: [{ kind: 'track', after: days(3), name: 'start' }] });
    expect(result.rows.find((r) => r.kind === 'input')).toMatchObject({ outcome: 'run-ended', again: { enters: false, code: 're-entry-never' } });
  });
});
