import type { Channel, PreviewContext } from '@waymark/shared';
import { channelName } from '../../components/words.ts';

const numbers = new Intl.NumberFormat('en');
const plural: Record<string, [string, string]> = {
  email: ['email', 'emails'],
  sms: ['SMS', 'SMS'],
  push: ['push', 'pushes'],
  'in-app': ['in-app message', 'in-app messages'],
  webhook: ['webhook', 'webhooks'],
};

/** "2 emails", "1 SMS". */
export function countWords(channel: string, n: number): string {
  const [one, many] = plural[channel] ?? [channelName(channel), channelName(channel)];
  return `${numbers.format(n)} ${n === 1 ? one : many}`;
}

/** "Already sent today by other journeys: 2 emails, 1 SMS", or that nothing was. Pure. */
export function sentTodayWords(sentToday: Partial<Record<Channel, number>>): string {
  const sent = Object.entries(sentToday).filter(([, n]) => (n ?? 0) > 0);
  return sent.length ? `Already sent today by other journeys: ${sent.map(([channel, n]) => countWords(channel, n!)).join(', ')}` : 'Nothing sent today by other journeys';
}

/** "Frequency cap: 3 emails a day", or '' when the workspace has none. */
export function capWords(cap: Partial<Record<Channel, number>>): string {
  const caps = Object.entries(cap).filter(([, n]) => n !== undefined);
  return caps.length ? `Frequency cap: ${caps.map(([channel, n]) => `${countWords(channel, n!)} a day`).join(', ')}` : '';
}

const statusWords: Record<string, string> = { active: 'still in it, entered', completed: 'completed', converted: 'converted', exited: 'left early' };

/** "Was in this journey before: completed Nov 3", from the latest earlier run. Pure. */
export function pastRunWords(pastRuns: PreviewContext['pastRuns'], day: (at: number) => string): string {
  const latest = [...pastRuns].sort((a, b) => Date.parse(b.enteredAt) - Date.parse(a.enteredAt))[0];
  if (!latest) return 'Never in this journey before';
  const more = pastRuns.length > 1 ? ` (${numbers.format(pastRuns.length)} runs in all)` : '';
  if (latest.status === 'active') return `Is in this journey now: entered ${day(Date.parse(latest.enteredAt))}${more}`;
  return `Was in this journey before: ${statusWords[latest.status]} ${day(Date.parse(latest.enteredAt))}${more}`;
}
