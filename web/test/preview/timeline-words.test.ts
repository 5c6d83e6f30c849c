import { describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { compileJourney, previewJourney, type StepReason, type StoryInput, Story } from '@waymark/shared';
import { firstRowOf, pathAt } from '../../src/editor/preview/path-at.ts';
import { rowWords } from '../../src/editor/preview/timeline-words.ts';
import { zonedTime } from '../../src/editor/preview/zoned-format.ts';

const welcome = compileJourney(examples.find((e) => e.id === 'welcome-series')!.document);
const names: Record<string, string> = {
  'signed-up': 'Event trigger',
  'welcome-email': 'Welcome email',
  'two-days': 'Wait 2 days',
  'opened-welcome': 'Condition',
  'tips-push': 'Tips push',
  'nudge-sms': 'Nudge SMS',
};
const help = { nameOf: (id: string) => names[id] ?? id, time: (at: number) => zonedTime(at, 'America/New_York', 2026) };
const ada = { id: 'ada', traits: { first_name: 'Ada' }, channels: { email: { address: 'ada@example.com', consent: 'subscribed' as const } } };
const play = (story: StoryInput, context = {}) => previewJourney({ machine: welcome, customer: ada, story: Story.parse(story), context });
const lines = (result: ReturnType<typeof play>) => result.rows.map((row) => rowWords(row, help)).map((w) => `${w.title} | ${w.what}${w.why ? ` | ${w.why}` : ''}`);

describe('the preview timeline in words', () => {
  it('tells the welcome series for a customer who never opens the email and has no SMS consent', () => {
    const result = play({
      entry: { kind: 'event', at: '2026-11-25T15:00:00Z', properties: { source: 'ads' } },
      items: [{ kind: 'track', after: { amount: 2, unit: 'hours' }, name: 'Order Completed', properties: { total: 40 } }],
    });
    expect(lines(result)).toEqual([
      'signed_up | arrives: enters the journey',
      'Event trigger | Entered',
      'Welcome email | Sent email to ada@example.com',
      'Wait 2 days | Waits until Fri 27 Nov 10:00',
      'Order Completed | arrived: the run was not waiting for it',
      'Wait 2 days | Wait over',
      'Condition | No | Welcome email was not opened → No',
      'Nudge SMS | Not sent: no SMS consent (the workspace requires opt-in) — continues',
      'End | The run ends: no steps left',
    ]);
    expect(rowWords(result.rows[0]!, help).values).toEqual({ source: 'ads' });
    expect(rowWords(result.rows[4]!, help).values).toEqual({ total: 40 });
  });

  it('an open takes the Yes branch; the end says where the customer still waits when the story stops first', () => {
    const opened = play({ entry: { kind: 'event', at: '2026-11-25T15:00:00Z' }, items: [{ kind: 'engagement', after: { amount: 1, unit: 'hours' }, nodeId: 'welcome-email', activity: 'opened' }] });
    expect(lines(opened)).toContain('Welcome email | opened by the customer');
    expect(lines(opened)).toContain('Condition | Yes | Welcome email was opened → Yes');
    const short = play({ entry: { kind: 'event', at: '2026-11-25T15:00:00Z' }, items: [], horizon: { amount: 1, unit: 'days' } });
    expect(lines(short).at(-1)).toBe('Preview ends | Still waiting at Wait 2 days until Fri 27 Nov 10:00');
  });

  it('a refused entry is the whole answer, and a late event says so', () => {
    const again = play({ entry: { kind: 'event', at: '2026-11-25T15:00:00Z' } }, { pastRuns: [{ key: null, status: 'completed', enteredAt: '2026-11-03T10:00:00Z' }] });
    expect(lines(again)).toEqual(['signed_up | Would not enter: has been in this journey before']);
    const late = play({ entry: { kind: 'event', at: '2026-11-25T15:00:00Z', delay: { amount: 2, unit: 'hours' } } });
    expect(rowWords(late.rows[0]!, help).why).toBe('stamped Wed 25 Nov 10:00, arrived late by 2 h');
    // A replayed entry received within the minute of its timestamp is not late.
    const onTime = { ...late.rows[0]!, receivedAt: '2026-11-25T15:00:00.400Z' } as (typeof late.rows)[0];
    expect(rowWords(onTime, help).why).toBe('');
  });

  it('the path up to a row: steps passed, branches taken, the step it is at', () => {
    const result = play({ entry: { kind: 'event', at: '2026-11-25T15:00:00Z' } });
    const atWait = pathAt(result.rows, 3);
    expect([...atWait.visited]).toEqual(['signed-up', 'welcome-email', 'two-days']);
    expect([...atWait.taken]).toEqual(['signed-up:next', 'welcome-email:next']);
    expect(atWait.current).toBe('two-days');
    const whole = pathAt(result.rows, Number.POSITIVE_INFINITY);
    expect([...whole.taken]).toEqual(result.taken);
    expect(whole.current).toBe('nudge-sms');
    expect(firstRowOf(result.rows, 'two-days')).toBe(3);
    expect(firstRowOf(result.rows, 'tips-push')).toBe(-1);
  });

  it('says why consent refused a send: unsubscribed, opt-in without a yes, a topic left; and a bounced address', () => {
    const said = (reason: StepReason, detail: string) => rowWords({ index: 0, at: '2026-11-25T15:00:00Z', kind: 'step', nodeId: 'nudge-sms', handle: 'next', reason, detail }, help).what;
    expect(said('skipped:no-consent', 'email: unsubscribed')).toBe('Not sent: unsubscribed from email — continues');
    expect(said('skipped:no-consent', 'push: no push consent (the workspace requires opt-in)')).toBe('Not sent: no push consent (the workspace requires opt-in) — continues');
    expect(said('skipped:no-consent', 'email: left the topic news')).toBe('Not sent: left the email topic news — continues');
    expect(said('skipped:no-consent', 'sms: no consent')).toBe('Not sent: no SMS consent — continues');
    expect(said('skipped:bounced', 'email: address bounced')).toBe('Not sent: the email address bounced — continues');
  });
});
