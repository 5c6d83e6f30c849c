import type { NodeType } from '@waymark/shared';
import { channelLook } from './node-look.ts';
import { type Data, dayWords, durationWords, filterWords, listWords, type NameOf, ruleWords } from './rule-words.ts';

/* What a node does, in the words a marketer would use: the line under its name on the canvas. */

const weekdayNames: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const weekdays = (days: string[] | undefined) =>
  days?.length
    ? listWords(
        days.map((d) => weekdayNames[d] ?? d),
        'or',
      )
    : '';
const where = (filter: Data[] | undefined) => (filter?.length ? ` where ${filterWords(filter)}` : '');

function schedule(entry: Data, segmentOf?: NameOf): string {
  const s = entry.schedule ?? {};
  const at = `at ${s.time || '…'}${entry.timing === 'customer-local' ? " in each customer's time" : ''}`;
  const segment = entry.segmentId ? `, for everyone in ${segmentOf ? `“${segmentOf(entry.segmentId) ?? 'a deleted segment'}”` : 'a segment'}` : '';
  const rules = entry.rules?.rules?.length ? ` ${segment ? 'where' : 'for those where'} ${ruleWords(entry.rules)}` : '';
  const who = segment ? `${segment}${rules}` : rules ? `,${rules}` : '';
  if (s.kind === 'once') return `Once on ${dayWords(s.date)} ${at}${who}`;
  if (s.frequency === 'weekly') return `Every ${weekdays(s.weekdays) || 'week'} ${at}${who}`;
  if (s.frequency === 'monthly') return `Monthly${s.dayOfMonth ? ` on day ${s.dayOfMonth}` : ''} ${at}${who}`;
  return `Every day ${at}${who}`;
}

function trigger(entry: Data | undefined, segmentOf?: NameOf): string {
  switch (entry?.kind) {
    case 'event':
      return entry.event ? `When ${entry.event}${where(entry.filter)}` : 'Choose the event that starts the journey';
    case 'segment':
      return entry.rules?.rules?.length ? `When ${ruleWords(entry.rules)}` : 'Add the rules customers must come to match';
    case 'schedule':
      return schedule(entry, segmentOf);
    case 'segment-change': {
      const name = entry.segmentId ? (segmentOf ? `“${segmentOf(entry.segmentId) ?? 'a deleted segment'}”` : 'a segment') : null;
      return name ? `When they ${entry.change === 'exited' ? 'leave' : 'enter'} ${name}` : 'Choose the segment';
    }
    case 'api':
      return 'When added through the API or by hand';
    default:
      return 'Choose how customers enter';
  }
}

function wait(w: Data | undefined): string {
  switch (w?.kind) {
    case 'duration':
      return `Customers move on after ${durationWords(w.duration)}`;
    case 'time-of-day':
      return `Until the next ${w.time || '…'}${w.weekdays?.length ? ` on ${weekdays(w.weekdays)}` : ''}, customer's time`;
    case 'date': {
      const offset = w.offset ? `${durationWords(w.offset)} ${w.offset.direction} ` : '';
      return `Until ${offset}${w.path || '…'}${w.time ? ` at ${w.time}` : ''}`;
    }
    default:
      return 'Choose how long to wait';
  }
}

function send(d: Data): string {
  const channel = sendChannel(d) ?? '';
  const content = d.content?.[channel] ?? {};
  const what = content.subject || content.title || content.text || (content.url ? `${content.method ?? 'POST'} ${content.url}` : '') || 'write the message';
  const label = d.delivery?.mode === 'preferred-channel' ? 'Preferred channel' : (channelLook[channel]?.name ?? 'Message');
  return `${label}: ${what}`;
}

function split(arms: Data[] | undefined): string {
  return (arms ?? []).map((a) => `${a.label || (a.holdout ? 'Holdout' : String(a.id ?? '').toUpperCase())} ${a.weight ?? 0}%`).join(', ');
}

function operation(o: Data): string {
  return o.op === 'unset' ? `Remove ${o.trait || '…'}` : `Set ${o.trait || '…'} to ${o.value === '' || o.value === undefined ? '…' : o.value}`;
}

/** The one-line description of a node on the canvas ("Wait 2 days", "If plan is pro", "Email: Your cart is waiting"). */
export function nodeSummary(type: NodeType, data: Data, nameOf?: NameOf, segmentOf?: NameOf): string {
  switch (type) {
    case 'trigger':
      return trigger(data.entry, segmentOf);
    case 'wait':
      return wait(data.wait);
    case 'wait-for-event':
      return `Wait up to ${durationWords(data.timeout)} for ${data.event || '…'}${where(data.filter)}`;
    case 'condition': {
      const rules = ruleWords(data.rules, nameOf, segmentOf);
      return rules ? `If ${rules}` : 'Add a rule to decide yes or no';
    }
    case 'split':
      return split(data.arms);
    case 'send':
      return send(data);
    case 'update-profile':
      return data.operations?.length ? data.operations.map((o: Data, i: number) => (i ? operation(o).replace(/^./, (c) => c.toLowerCase()) : operation(o))).join(', ') : 'Add a change to the profile';
    case 'exit':
      return data.reason ? `Ends here: ${data.reason}` : 'The customer leaves the journey here';
  }
}

/** The channel a send node uses first, for its icon and colour. */
export function sendChannel(data: Data): string | undefined {
  return data.delivery?.mode === 'channel' ? data.delivery.channel : data.delivery?.channels?.[0];
}
