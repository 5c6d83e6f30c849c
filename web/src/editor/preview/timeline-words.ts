import type { PreviewEntry, PreviewRow } from '@waymark/shared';
import { decisionText, ruleWords, type WordsHelp } from './decision-words.ts';
import { offsetWords } from './zoned-format.ts';

/** A timeline row in words: who or what it is about, what happened, and why. */
export interface RowWords {
  title: string;
  what: string;
  why: string;
  tone: 'step' | 'skip' | 'input' | 'refused' | 'end' | 'goal' | 'waiting';
  /** The canvas node the row is about; selecting the row selects it. */
  nodeId: string | null;
  /** An event's properties or an identify call's traits, shown as rows. */
  values?: Record<string, unknown>;
}

const isoAt = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/;
const readable = (text: string, help: WordsHelp) => ruleWords(text, help);
const timeIn = (text: string, help: WordsHelp) => {
  const at = isoAt.exec(text)?.[0];
  return at ? help.time(Date.parse(at)) : '';
};
/** "stamped …, arrived late by 2 h" when an event reached Waymark a minute or more after its timestamp; '' otherwise. */
const lateWords = (stamped: string, received: string, help: WordsHelp) => {
  const late = Date.parse(received) - Date.parse(stamped);
  return late >= 60_000 ? `stamped ${help.time(Date.parse(stamped))}, arrived late by ${offsetWords(late).slice(1)}` : '';
};
const sentence = (text: string) => text.replace(/^./, (c) => c.toUpperCase());
const nouns: Record<string, string> = { email: 'email', sms: 'SMS', push: 'push', 'in-app': 'in-app message', webhook: 'webhook' };
/** A channel as a word mid-sentence: "email", "SMS". */
const noun = (channel: string | undefined) => (channel ? (nouns[channel] ?? channel) : 'message');

/** Why a send did not go out, as the step says it ("no SMS consent"). */
function skipWords(reason: string, detail: string): string {
  const [channel, why] = detail.split(': ');
  if (reason === 'skipped:no-consent') return consentWords(channel, why);
  if (reason === 'skipped:no-address') return `no ${noun(channel)} address`;
  if (reason === 'skipped:bounced') return `the ${noun(channel)} address bounced`;
  if (reason === 'skipped:no-reachable-channel') return 'no channel reaches them';
  if (reason === 'skipped:frequency-cap') return 'the daily frequency cap is reached';
  if (reason === 'skipped:quiet-hours') return 'quiet hours';
  if (reason === 'skipped:template-error') return `the message could not be written (${why ?? detail})`;
  if (reason === 'skipped:paused') return 'the journey is paused';
  return reason.slice(8).replaceAll('-', ' ');
}

/** Why consent refused, from the engine's detail: unsubscribed, opt-in without a yes, or a topic left. */
function consentWords(channel: string | undefined, why: string | undefined): string {
  if (why === 'unsubscribed') return `unsubscribed from ${noun(channel)}`;
  if (why?.includes('requires opt-in')) return `no ${noun(channel)} consent (the workspace requires opt-in)`;
  const topic = why?.match(/^left the topic (.+)$/)?.[1];
  if (topic) return `left the ${noun(channel)} topic ${topic}`;
  return `no ${noun(channel)} consent`;
}

const exitWords: Record<string, string> = {
  completed: 'The run ends: no steps left',
  'exit-node': 'Leaves the journey here',
  converted: 'Leaves the journey: converted',
  'exited-early': 'Leaves early: an exit criterion was met',
  'entry-rules-unmatched': 'Leaves: no longer in the audience',
  'date-missing': 'Leaves: the date to wait for is missing',
  holdout: 'Held out until the goal window closed',
  'step-cap': 'Stopped: too many steps in one go',
};

const outcomeWords: Record<string, string> = {
  'moved-on': 'arrived: the run moved on',
  'profile-changed': 'profile changed',
  'not-waiting-for-it': 'arrived: the run was not waiting for it',
  'run-ended': 'arrived after the run ended',
  converted: 'arrived: it is the goal, converted',
  'late-conversion': 'arrived: it is the goal, converted after the run finished',
  'exited-early': 'arrived: an exit criterion, the run ends',
};

const engagementWords = { delivered: 'delivered', opened: 'opened by the customer', clicked: 'a link clicked (an open too)', unsubscribed: 'unsubscribed from by the customer' } as const;

/** What the entry decision was, in words: "Would not enter: has been in this journey before". */
export function entryWords(entry: PreviewEntry, help: WordsHelp): string {
  if (entry.enters) return 'Enters the journey';
  const why = entry.code === 'audience-filter' || entry.code === 'not-in-audience' ? decisionText(entry.reason, help) : readable(entry.reason, help);
  return `Would not enter: ${why}`;
}

/** One row of the preview's result in words, with the canvas's names for steps. Pure. */
export function rowWords(row: PreviewRow, help: WordsHelp): RowWords {
  switch (row.kind) {
    case 'entry': {
      const title = row.event?.name ?? 'Audience';
      const why = row.event ? lateWords(row.event.timestamp, row.receivedAt, help) : '';
      const values = row.event?.properties ?? {};
      if (!row.entry.enters) return { title, what: entryWords(row.entry, help), why, tone: 'refused', nodeId: null, values };
      return { title, what: row.event ? 'arrives: enters the journey' : 'Enters by audience', why, tone: 'input', nodeId: null, values };
    }
    case 'step':
      return { ...stepWords(row, help), nodeId: row.nodeId };
    case 'input': {
      const again = row.again ? (row.again.enters ? 'would start another run' : `would not start another run: ${readable(row.again.reason, help)}`) : '';
      if (row.item.kind === 'track') {
        const why = [row.event ? lateWords(row.event.timestamp, row.receivedAt, help) : '', again].filter(Boolean).join(' · ');
        // The events engagement records (Message Opened…) carry ids, not anything a person wrote.
        const recorded = String(row.item.properties.messageId ?? '').startsWith('preview:');
        return { title: row.item.name, what: outcomeWords[row.outcome] ?? row.detail, why, tone: 'input', nodeId: null, ...(recorded ? {} : { values: row.item.properties }) };
      }
      if (row.item.kind === 'identify') {
        const names = Object.keys(row.item.traits);
        return { title: 'Profile change', what: names.length ? `changes ${names.join(', ')}` : 'changes nothing', why: again, tone: 'input', nodeId: null, values: row.item.traits };
      }
      const name = help.nameOf(row.item.nodeId);
      if (row.outcome === 'no-such-message')
        return {
          title: name,
          what: `was not sent in this run: nothing to ${row.item.activity === 'unsubscribed' ? 'unsubscribe from' : row.item.activity.replace(/ed$/, '')}`,
          why: '',
          tone: 'input',
          nodeId: row.item.nodeId,
        };
      return { title: name, what: engagementWords[row.item.activity], why: '', tone: 'input', nodeId: row.item.nodeId };
    }
    case 'conversion':
      return { title: 'Goal', what: row.late ? `Converted after the run finished: ${row.event}` : `Converted: ${row.event}`, why: '', tone: 'goal', nodeId: null };
    case 'exit':
      return { title: row.nodeId ? help.nameOf(row.nodeId) : 'End', what: exitWords[row.reason] ?? row.reason, why: '', tone: 'end', nodeId: row.nodeId };
    case 'pending':
      return { title: 'Preview ends', what: `Still waiting at ${help.nameOf(row.nodeId)} until ${help.time(Date.parse(row.until))}`, why: '', tone: 'waiting', nodeId: row.nodeId };
  }
}

function stepWords(row: Extract<PreviewRow, { kind: 'step' }>, help: WordsHelp): Omit<RowWords, 'nodeId'> {
  const title = help.nameOf(row.nodeId);
  const { reason, detail } = row;
  const step = (what: string, why = '', tone: RowWords['tone'] = 'step') => ({ title, what, why, tone });
  if (reason.startsWith('skipped:')) {
    // No consent or address says it all; the others give their numbers, window or channels tried.
    const said = reason === 'skipped:template-error' || reason === 'skipped:no-consent' || reason === 'skipped:no-address' || reason === 'skipped:bounced';
    const why = reason === 'skipped:no-reachable-channel' ? detail.replace(/(^|; )([\w-]+):/g, (_, sep: string, channel: string) => `${sep}${noun(channel)}:`) : readable(detail, help);
    return step(`Not sent: ${skipWords(reason, detail)}${row.handle ? ' — continues' : ''}`, said ? '' : why, 'skip');
  }
  switch (reason) {
    case 'entered':
      return step('Entered');
    case 'waiting':
      return step(`Waits until ${row.until ? help.time(Date.parse(row.until)) : timeIn(detail, help)}`, '', 'waiting');
    case 'wait-elapsed':
      return step('Wait over');
    case 'wait-already-due':
      return step('Wait already over', readable(detail, help));
    case 'wait-date-missing':
      return step(row.handle ? 'Date missing — continues' : 'Date missing — leaves the journey', readable(detail, help), 'skip');
    case 'waiting-for-event': {
      const event = /^for (.+) until /.exec(detail)?.[1] ?? 'the event';
      return step(`Waits for ${event} until ${row.until ? help.time(Date.parse(row.until)) : timeIn(detail, help)}`, '', 'waiting');
    }
    case 'event-matched':
      return step('Event arrived → event branch', readable(detail, help));
    case 'event-timeout':
      return step('Timed out → timeout branch', readable(detail, help));
    case 'rules-matched':
    case 'rules-not-matched': {
      const verdict = reason === 'rules-matched' ? 'Yes' : 'No';
      return step(verdict, `${decisionText(detail, help)} → ${verdict}`);
    }
    case 'split-assigned':
      return step(`Assigned to ${detail.replace(/^arm /, 'arm ')}`);
    case 'holdout':
      return step('Held out', readable(detail, help));
    case 'sent':
      return step(row.message ? `Sent ${noun(row.message.channel)}${row.message.to ? ` to ${row.message.to}` : ''}` : `Sent ${readable(detail, help)}`);
    case 'deferred:quiet-hours':
      return step(`Held for quiet hours${row.until ? ` until ${help.time(Date.parse(row.until))}` : ''}`, sentence(readable(detail, help)), 'waiting');
    case 'profile-updated':
      return step('Profile updated', readable(detail, help));
    case 'exit-node':
      return step('Exit', detail === 'reached exit' ? '' : readable(detail, help));
    default:
      return step(reason.replaceAll('-', ' '), readable(detail, help));
  }
}
