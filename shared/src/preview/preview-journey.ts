import { durationToMs, type Channel } from '../graph/index.ts';
import type { JourneyMachine } from '../compile/index.ts';
import { zonedParts } from '../time/index.ts';
import { advance } from '../engine/advance.ts';
import { countsTowardCap } from '../engine/channel-policy.ts';
import { checkEventEntry, decideEntry, entryEventName, startProgress, type PastRun } from '../engine/entry.ts';
import { evaluateRules } from '../engine/evaluate-rules.ts';
import { customerTimeZone } from '../engine/time-zone.ts';
import type { AdvanceResult, CustomerEvent, CustomerProfile, Effect, EngineContext, EngineInput, IgnoredReason, MessageActivity, Progress } from '../engine/types.ts';
import { applyIdentify } from './identify.ts';
import type { InputOutcome, PreviewContext, PreviewEntry, PreviewMessage, PreviewResult, PreviewRow, Story, StoryItem } from './preview-story.ts';

export interface PreviewOptions {
  machine: JourneyMachine;
  customer: CustomerProfile;
  story: Story;
  context?: Partial<PreviewContext>;
  progressId?: string;
}

/** What `playStory` plays: the entry, then timed inputs; `simulateRun` builds one without a story. */
export interface StorySetup {
  machine: JourneyMachine;
  customer: CustomerProfile;
  context: Partial<PreviewContext>;
  trigger: CustomerEvent | null;
  entryKind: 'event' | 'audience';
  /** When the entry reaches Waymark (the run's `enteredAt`). */
  start: number;
  inputs: Pending[];
  horizon: number;
  progressId: string;
  /** Enter whatever the entry rules say (tests of the states that follow). */
  forceEntry?: boolean;
  /** Engagement known up front. */
  messageActivity?: readonly MessageActivity[];
  stepCap?: number;
}

/** One engine call and what it returned, for tests that read effects. */
export interface TraceEntry {
  at: string;
  input: EngineInput;
  effects: Effect[];
  ignored?: IgnoredReason;
}

/** The runtime reads this much of a customer's event history for event-count rules. */
const historyMs = 90 * 86_400_000;
/** A completed run can still convert this long after it entered (the runtime's late-conversion look-back). */
const lateConversionMs = 90 * 86_400_000;
const defaultHorizon = { amount: 400, unit: 'days' } as const;

/** Engagement implies the engagement before it, as the runtime records it. */
const implied = { delivered: ['delivered'], opened: ['delivered', 'opened'], clicked: ['delivered', 'opened', 'clicked'], unsubscribed: ['unsubscribed'] } as const;
const engagementEvent = { opened: 'Message Opened', clicked: 'Message Link Clicked', unsubscribed: 'Unsubscribed' } as const;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A scripted input at the moment it reaches Waymark; `order` keeps the script's order among equals. */
export interface Pending {
  at: number;
  order: number;
  item: StoryItem;
  event?: CustomerEvent;
}

const iso = (at: number) => new Date(at).toISOString();

/**
 * What a journey would do to one customer, told as a story: whether they enter (and why not), then
 * every step with its reason, every message as rendered, and what each scripted input changed, on
 * a virtual clock. Pure, and the same engine the runtime runs; it also models what the runtime
 * decides from beyond the profile (SPEC V1–V7): the entry decision, identify calls between steps,
 * events that reach Waymark after their timestamp (acted on when they arrive), goals after the
 * run ended, engagement with the run's messages, and the frequency cap's count of other sends.
 */
export function previewJourney(options: PreviewOptions): PreviewResult {
  const { machine, story } = options;
  const origin = Date.parse(story.entry.at);
  const trigger: CustomerEvent | null =
    story.entry.kind === 'event'
      ? {
          id: 'preview:entry',
          name: story.entry.name ?? entryEventName(machine.entry) ?? '',
          // A segment-change journey's trigger names its segment, unless the story says otherwise.
          properties: { ...(machine.entry.kind === 'segment-change' ? { segmentId: machine.entry.segmentId } : {}), ...story.entry.properties },
          timestamp: iso(origin),
        }
      : null;
  const inputs = story.items
    .map((item, order): Pending => {
      const stamped = origin + durationToMs(item.after);
      const arrives = stamped + (item.kind === 'track' && item.delay ? durationToMs(item.delay) : 0);
      const event = item.kind === 'track' ? { id: `preview:${order}`, name: item.name, properties: item.properties, timestamp: iso(stamped) } : undefined;
      return { at: arrives, order, item, ...(event ? { event } : {}) };
    })
    .sort((a, b) => a.at - b.at || a.order - b.order);
  return playStory({
    machine,
    customer: options.customer,
    context: options.context ?? {},
    trigger,
    entryKind: story.entry.kind,
    start: origin + (story.entry.kind === 'event' && story.entry.delay ? durationToMs(story.entry.delay) : 0),
    inputs,
    horizon: origin + durationToMs(story.horizon ?? defaultHorizon),
    progressId: options.progressId ?? `preview-${options.customer.id}`,
  });
}

/** Plays a prepared story through the engine; see `previewJourney`. */
export function playStory(setup: StorySetup): PreviewResult & { trace: TraceEntry[] } {
  const { machine, context, trigger, start } = setup;
  const workspaceZone = context.workspaceZone ?? 'UTC';
  let customer = setup.customer;
  const rows: PreviewRow[] = [];
  const trace: TraceEntry[] = [];
  const push = <R extends DistributiveOmit<PreviewRow, 'index'>>(row: R): R & { index: number } => {
    const line = { ...row, index: rows.length };
    rows.push(line as PreviewRow);
    return line;
  };
  const pastRuns: PastRun[] = [...(context.pastRuns ?? [])];
  const history: CustomerEvent[] = [...(context.events ?? [])];
  if (trigger) history.push(trigger);

  const entry = setup.forceEntry ? ({ enters: true, at: iso(start), key: null } as const) : decide(machine, customer, trigger, setup.entryKind, pastRuns, context, start);
  push({ at: iso(start), kind: 'entry', entry, event: trigger, receivedAt: iso(start) });
  if (!entry.enters) return { entry, zone: zoneOf(customer), rows, run: null, customer, messages: [], visited: [], taken: [], trace };

  let progress: Progress = startProgress({ id: setup.progressId, machine, customerId: customer.id, trigger, key: entry.key, now: iso(start) });
  pastRuns.push({ key: entry.key, status: 'active', enteredAt: iso(start) });
  const activity: MessageActivity[] = [...(setup.messageActivity ?? [])];
  const sent = new Map<string, PreviewMessage>();
  const messages: PreviewMessage[] = [];
  const visited: string[] = [];
  const taken: string[] = [];

  // Messages other journeys sent on the day of entry count toward the cap, in the runtime's calendar day.
  const dayOf = (at: number) => {
    const p = zonedParts(at, customerTimeZone(customer, workspaceZone));
    return `${p.year}-${p.month}-${p.day}`;
  };
  const sentByDay = new Map<string, number>(Object.entries(context.sentToday ?? {}).map(([channel, n]) => [`${dayOf(start)}|${channel}`, n ?? 0]));

  const feed = (at: number, input: EngineInput): AdvanceResult => {
    const day = dayOf(at);
    const ctx: EngineContext = {
      now: iso(at),
      customer,
      events: history.filter((e) => Date.parse(e.timestamp) >= at - historyMs),
      messageActivity: activity,
      sentToday: Object.fromEntries((['email', 'sms', 'push', 'in-app'] as const).map((c) => [c, sentByDay.get(`${day}|${c}`) ?? 0])),
      frequencyCap: context.frequencyCap ?? {},
      ...(context.consentPolicy ? { consentPolicy: context.consentPolicy } : {}),
      ...(setup.stepCap ? { stepCap: setup.stepCap } : {}),
    };
    const result = advance(machine, progress, input, ctx);
    trace.push({ at: iso(at), input, effects: result.effects, ...(result.ignored ? { ignored: result.ignored } : {}) });
    if (result.ignored) return result;
    progress = result.progress;
    let message: PreviewMessage | undefined;
    const first = rows.length;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'send-message': {
          const { type: _type, idempotencyKey: _key, ...rest } = effect;
          message = rest;
          messages.push(rest);
          sent.set(effect.nodeId, rest);
          if (countsTowardCap(effect.channel)) sentByDay.set(`${day}|${effect.channel}`, (sentByDay.get(`${day}|${effect.channel}`) ?? 0) + 1);
          break;
        }
        case 'update-profile': {
          const traits = { ...customer.traits, ...effect.set };
          for (const trait of effect.unset) delete traits[trait];
          customer = { ...customer, traits };
          break;
        }
        case 'record-step':
          if (visited[visited.length - 1] !== effect.nodeId) visited.push(effect.nodeId);
          if (effect.handle) taken.push(`${effect.nodeId}:${effect.handle}`);
          push({
            at: effect.at,
            kind: 'step',
            nodeId: effect.nodeId,
            handle: effect.handle,
            reason: effect.reason,
            detail: effect.detail,
            ...(message && message.nodeId === effect.nodeId ? { message } : {}),
          });
          message = undefined;
          break;
        case 'convert':
          push({ at: effect.at, kind: 'conversion', event: effect.event, late: input.type === 'goal' });
          break;
        case 'exit':
          push({ at: effect.at, kind: 'exit', reason: effect.reason, nodeId: effect.nodeId });
          break;
        case 'schedule-timer':
        case 'await-event':
          break;
      }
    }
    // The step the run now waits at says until when.
    const position = progress.position;
    const parked = position && rows.slice(first).findLast((row) => row.kind === 'step' && row.nodeId === position.nodeId);
    if (parked && parked.kind === 'step') parked.until = position.until;
    pastRuns[pastRuns.length - 1]!.status = progress.status;
    return result;
  };

  /**
   * A tracked event reaching the run (and its goal after the run ended), then whether it would start
   * another run. Its line comes before the steps it causes; what it did is filled in after.
   */
  const track = (at: number, event: CustomerEvent, item: StoryItem) => {
    const line = push({ at: iso(at), kind: 'input', item, event, receivedAt: iso(at), outcome: 'moved-on' as InputOutcome, detail: '' });
    history.push(event);
    let outcome: InputOutcome;
    let detail: string;
    if (progress.status === 'active') {
      const result = feed(at, { type: 'event', event });
      const kinds = result.effects.map((e) => e.type);
      if (result.ignored) [outcome, detail] = ['not-waiting-for-it', `${event.name} changed nothing: the run was not waiting for it`];
      else if (result.effects.some((e) => e.type === 'exit' && e.reason === 'exited-early')) [outcome, detail] = ['exited-early', `${event.name} is an exit criterion: the run ends`];
      else if (kinds.includes('convert')) [outcome, detail] = ['converted', `${event.name} is the goal: converted`];
      else [outcome, detail] = ['moved-on', `${event.name} arrived and the run moved on`];
    } else if (progress.status === 'completed' && !progress.convertedAt && Date.parse(progress.enteredAt) >= at - lateConversionMs) {
      const result = feed(at, { type: 'goal', event });
      [outcome, detail] = result.ignored ? ['run-ended', `${event.name} came after the run ended`] : ['late-conversion', `${event.name} is the goal: converted after the run finished`];
    } else [outcome, detail] = ['run-ended', `${event.name} came after the run ended`];
    const again =
      entryEventName(machine.entry) === event.name && checkEventEntry(machine, event, customer) !== 'other-event' ? decide(machine, customer, event, 'event', pastRuns, context, at) : undefined;
    Object.assign(line, { outcome, detail }, again ? { again } : {});
  };

  const pending = [...setup.inputs];
  feed(start, { type: 'enter' });

  const act = (next: Pending) => {
    const { at, item } = next;
    if (item.kind === 'track') track(at, next.event!, item);
    else if (item.kind === 'identify') {
      customer = applyIdentify(customer, item.traits);
      const changed = Object.keys(item.traits).join(', ');
      push({ at: iso(at), kind: 'input', item, receivedAt: iso(at), outcome: 'profile-changed', detail: `profile changed: ${changed || 'nothing'}` });
      if (progress.status === 'active') feed(at, { type: 'profile-changed' });
    } else {
      const message = sent.get(item.nodeId);
      if (!message) {
        push({
          at: iso(at),
          kind: 'input',
          item,
          receivedAt: iso(at),
          outcome: 'no-such-message',
          detail: `no message of ${item.nodeId} was sent in this run, so there is nothing to ${item.activity === 'unsubscribed' ? 'unsubscribe from' : item.activity === 'delivered' ? 'deliver' : item.activity === 'opened' ? 'open' : 'click'}`,
        });
        return;
      }
      const firsts = implied[item.activity].filter((kind) => kind === 'unsubscribed' || !activity.some((a) => a.nodeId === item.nodeId && a.activity === kind));
      for (const kind of firsts) if (kind !== 'unsubscribed') activity.push({ nodeId: item.nodeId, activity: kind });
      if (item.activity === 'unsubscribed') {
        const channels = { ...customer.channels, [message.channel]: { ...customer.channels[message.channel as Channel], consent: 'unsubscribed' } };
        customer = { ...customer, channels: channels as CustomerProfile['channels'] };
      }
      push({ at: iso(at), kind: 'input', item, receivedAt: iso(at), outcome: 'engaged', detail: `${item.activity} the ${message.channel} of ${item.nodeId}` });
      for (const kind of firsts) {
        if (kind === 'delivered') continue;
        const event: CustomerEvent = {
          id: `preview:${kind}:${item.nodeId}`,
          name: engagementEvent[kind],
          properties: { messageId: `preview:${item.nodeId}`, channel: message.channel, journeyId: machine.journeyId, nodeId: item.nodeId },
          timestamp: iso(at),
        };
        track(at, event, { kind: 'track', after: item.after, name: event.name, properties: event.properties });
      }
    }
  };

  const { horizon } = setup;
  for (let guard = 0; guard < 20_000; guard++) {
    const timerAt = progress.status === 'active' && progress.position ? Date.parse(progress.position.until) : Infinity;
    const next = pending[0];
    const nextAt = next ? next.at : Infinity;
    if (Math.min(timerAt, nextAt) > horizon) break;
    if (next && nextAt <= timerAt) {
      pending.shift();
      act(next);
    } else if (progress.position) feed(timerAt, { type: 'timer-fired', timerId: progress.position.timerId });
    else break;
  }
  if (progress.status === 'active' && progress.position) {
    push({ at: progress.position.until, kind: 'pending', nodeId: progress.position.nodeId, until: progress.position.until, detail: 'still waiting when the preview ends' });
  }
  return { entry, zone: zoneOf(customer), rows, run: progress, customer, messages, visited, taken, trace };

  function zoneOf(profile: CustomerProfile) {
    return customerTimeZone(profile, machine.settings.timeZone);
  }
}

/** The runtime's entry decision for one customer at one moment, in the preview's words. */
function decide(
  machine: JourneyMachine,
  customer: CustomerProfile,
  trigger: CustomerEvent | null,
  kind: 'event' | 'audience',
  pastRuns: readonly PastRun[],
  context: Partial<PreviewContext>,
  at: number,
): PreviewEntry {
  const when = new Date(at).toISOString();
  const refuse = (code: Extract<PreviewEntry, { enters: false }>['code'], reason: string): PreviewEntry => ({ enters: false, at: when, code, reason });
  const entry = machine.entry;
  if (kind === 'event') {
    const starts = entryEventName(entry);
    if (starts === null) return refuse('other-event', 'this journey starts by audience, not on an event');
    const check = checkEventEntry(machine, trigger!, customer);
    if (check === 'other-event') return refuse('other-event', `this journey starts on ${starts}, not on ${trigger!.name}`);
    if (check !== 'enters') return refuse('audience-filter', check.filtered);
  } else {
    const starts = entryEventName(entry);
    if (starts !== null) return refuse('other-event', `this journey starts on the event ${starts}`);
    const rules = entry.kind === 'segment' || entry.kind === 'schedule' ? entry.rules : undefined;
    if (rules) {
      const verdict = evaluateRules(rules, { now: at, customer, trigger: null, events: [], messageActivity: [], consentPolicy: context.consentPolicy });
      if (!verdict.matched) return refuse('not-in-audience', verdict.detail);
    }
  }
  // After the trigger: a paused journey records the customer as refused (SPEC P1).
  if (context.paused) return refuse('paused', 'the journey is paused');
  const decision = decideEntry(machine, pastRuns, trigger, when);
  return decision.enter ? { enters: true, at: when, key: decision.key } : refuse(decision.code, decision.reason);
}
