import { and, asc, eq, gte, sql } from 'drizzle-orm';
import {
  customerTimeZone,
  durationToMs,
  JourneyMachine,
  PreviewContext,
  previewJourney,
  Progress,
  Story,
  zonedParts,
  type CustomerEvent,
  type CustomerProfile,
  type PreviewEntry,
  type StoryInput,
} from '@waymark/shared';
import { customerIdentities, customers, entryRefusals, events, journeyVersions, messages, progress, sendCounts, steps, workspaces } from '../../src/db/schema.ts';
import { eventually } from './test-database.ts';
import type { startTestRuntime } from './test-runtime.ts';

/*
 * Plays scripted customers through the real runtime on its test clock and through `previewJourney`,
 * and reduces both to the same outcome, so a test can say the preview tells what the runtime does
 * (SPEC V1–V7). The clock stops exactly at every input's arrival and every timer's due time, so
 * steps carry the same instants on both sides.
 */

type TestRuntime = Awaited<ReturnType<typeof startTestRuntime>>;

/** One scripted customer: their profile, what happened before the story, and the story. */
export interface Script {
  /** The test's name: what the customer shows, and the SPEC rules it holds. */
  name: string;
  userId: string;
  /** Traits of the identify call made a minute before anything else: the profile at entry. */
  profile: Record<string, unknown>;
  /** Track calls before the story (an earlier run, another journey's message); the preview sees them only through its context. */
  before?: { at: string; event: string; properties?: Record<string, unknown> }[];
  story: Omit<StoryInput, 'horizon'>;
  /** Lines the runtime's outcome must contain (see `outcomeLines`), so the script shows what its name says. */
  shows?: string[];
}

export type EntryOutcome = { enters: true; at: string; key: string | null } | { enters: false; code: string };
export interface StepLine {
  nodeId: string;
  handle: string | null;
  reason: string;
  detail: string;
  at: string;
}
export interface MessageLine {
  nodeId: string;
  channel: string;
  to: string | null;
  content: unknown;
  transactional: boolean;
}

/** What both sides are held to: the entry, trigger events again, the path, the messages and the run at the end. */
export interface Outcome {
  entry: EntryOutcome;
  again: EntryOutcome[];
  steps: StepLine[];
  messages: MessageLine[];
  run: { status: string; endReason: string | null; convertedAt: string | null; position: { nodeId: string; until: string } | null } | null;
}

/** What the runtime decided from when the script's entry arrived, and what became of it. */
export interface Played {
  script: Script;
  story: Story;
  customerId: string;
  profile: CustomerProfile;
  context: PreviewContext;
  entry: EntryOutcome;
  again: EntryOutcome[];
  runId: string | null;
}

const minute = 60_000;
const hour = 60 * minute;
const iso = (at: number) => new Date(at).toISOString();

/** The story with its horizon at `end`, so the preview stops where the runtime was last driven. */
function storyOf(script: Script, end: number): Story {
  const span = end - Date.parse(script.story.entry.at);
  const horizon = span % hour === 0 && span / hour <= 10_000 ? { amount: span / hour, unit: 'hours' as const } : { amount: span / minute, unit: 'minutes' as const };
  if (!Number.isInteger(horizon.amount) || horizon.amount > 10_000) throw new Error(`${script.userId}: the end is not a whole number of minutes or hours after entry`);
  return Story.parse({ ...script.story, horizon });
}

/** The customer's calendar day in the zone the runtime counts the frequency cap in. */
function localDay(profile: CustomerProfile, workspaceZone: string, at: number) {
  const p = zonedParts(at, customerTimeZone(profile, workspaceZone));
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The published machine of a journey version, as the runtime stored it. */
export async function storedMachine(rt: TestRuntime, journeyId: string, version: number): Promise<JourneyMachine> {
  const [row] = await rt.db
    .select({ machine: journeyVersions.machine })
    .from(journeyVersions)
    .where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)));
  return JourneyMachine.parse(row!.machine);
}

/** The profile as the runtime loads it for the engine (traits, channels, preferred channel, userId). */
async function profileOf(rt: TestRuntime, customerId: string, userId: string): Promise<CustomerProfile> {
  const [row] = await rt.db.select().from(customers).where(eq(customers.id, customerId));
  return {
    id: customerId,
    externalId: userId,
    traits: row!.traits,
    channels: row!.channels as CustomerProfile['channels'],
    ...(row!.preferredChannel ? { preferredChannel: row!.preferredChannel as CustomerProfile['preferredChannel'] } : {}),
  };
}

/**
 * Drives the runtime through every script at once on its test clock, up to `end`: each call at the
 * moment it arrives, each timer at its due time. Returns what each entry decided from and led to.
 */
export async function playScripts(rt: TestRuntime, machine: JourneyMachine, scripts: Script[], end: string): Promise<Map<string, Played>> {
  const endMs = Date.parse(end);
  const journeyId = machine.journeyId;
  const trigger = machine.entry.kind === 'event' ? machine.entry.event : null;
  const owner = await rt.signIn();
  const token = await owner('POST', `/api/workspaces/${rt.workspaceId}/keys`, { kind: 'token', name: 'parity', role: 'editor' });
  const api = rt.asToken(token.body.secret as string);
  const [workspace] = await rt.db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, rt.workspaceId));
  const { frequencyCap = {}, timeZone: workspaceZone = 'UTC' } = workspace!.settings;

  const played = new Map<string, Played>();
  type Agendum = { at: number; script: number; seq: number; act: () => Promise<void> };
  const agenda: Agendum[] = [];
  let sequence = 0;
  const send = async (path: string, body: Record<string, unknown>) => {
    const response = await rt.ingest(path, { ...body, messageId: `parity-${++sequence}` });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await settled(rt);
  };

  scripts.forEach((script, index) => {
    const story = storyOf(script, endMs);
    const userId = script.userId;
    const play: Played = {
      script,
      story,
      customerId: '',
      profile: { id: '', traits: {}, channels: {} },
      context: PreviewContext.parse({}),
      entry: { enters: false, code: 'not-played' },
      again: [],
      runId: null,
    };
    played.set(userId, play);
    const origin = Date.parse(story.entry.at);
    const before = script.before ?? [];
    const first = Math.min(origin, ...before.map((b) => Date.parse(b.at)));
    const add = (at: number, act: () => Promise<void>) => agenda.push({ at, script: index, seq: agenda.length, act });

    add(first - minute, async () => {
      await send('identify', { type: 'identify', userId, traits: script.profile, timestamp: iso(rt.clock.now()) });
      const [identity] = await rt.db
        .select({ customerId: customerIdentities.customerId })
        .from(customerIdentities)
        .where(and(eq(customerIdentities.kind, 'user_id'), eq(customerIdentities.value, userId)));
      play.customerId = identity!.customerId;
    });
    for (const call of before) add(Date.parse(call.at), () => send('track', { type: 'track', userId, event: call.event, properties: call.properties ?? {}, timestamp: call.at }));

    // Entry: what the runtime will decide from, then the trigger event, stamped at `at`, arriving after its delay.
    const entry = story.entry;
    if (entry.kind !== 'event') throw new Error('parity scripts enter by event');
    add(origin + (entry.delay ? durationToMs(entry.delay) : 0), async () => {
      const now = rt.clock.now();
      play.profile = await profileOf(rt, play.customerId, userId);
      const sent = await rt.db
        .select()
        .from(sendCounts)
        .where(and(eq(sendCounts.customerId, play.customerId), eq(sendCounts.day, localDay(play.profile, workspaceZone, now))));
      const history = await rt.db
        .select()
        .from(events)
        .where(and(eq(events.customerId, play.customerId), eq(events.type, 'track'), gte(events.timestamp, iso(now - 90 * 24 * hour))))
        .orderBy(asc(events.id));
      const runs = await rt.db
        .select()
        .from(progress)
        .where(and(eq(progress.customerId, play.customerId), eq(progress.journeyId, journeyId)))
        .orderBy(asc(progress.enteredAt));
      play.context = PreviewContext.parse({
        pastRuns: runs.map((r) => ({ key: r.key, status: r.status, enteredAt: iso(Date.parse(r.enteredAt)) })),
        events: history.map((e): CustomerEvent => ({ id: e.messageId, name: e.name ?? '', properties: e.properties, timestamp: iso(Date.parse(e.timestamp)) })),
        sentToday: Object.fromEntries(sent.map((s) => [s.channel, s.count])),
        frequencyCap,
        workspaceZone,
      });
      const outcome = await entered(rt, journeyId, play.customerId, () => send('track', { type: 'track', userId, event: entry.name ?? trigger, properties: entry.properties, timestamp: entry.at }));
      play.entry = outcome.entry;
      play.runId = outcome.runId;
    });

    // Scripted inputs, each when it reaches Waymark, as the preview orders them.
    story.items.forEach((item) => {
      const stamped = origin + durationToMs(item.after);
      const arrives = stamped + (item.kind === 'track' && item.delay ? durationToMs(item.delay) : 0);
      add(arrives, async () => {
        if (item.kind === 'track') {
          const call = () => send('track', { type: 'track', userId, event: item.name, properties: item.properties, timestamp: iso(stamped) });
          if (item.name !== trigger) return call();
          play.again.push((await entered(rt, journeyId, play.customerId, call)).entry);
        } else if (item.kind === 'identify') {
          await send('identify', { type: 'identify', userId, traits: item.traits, timestamp: iso(stamped) });
        } else if (play.runId) {
          const [message] = await rt.db
            .select({ id: messages.id })
            .from(messages)
            .where(and(eq(messages.progressId, play.runId), eq(messages.nodeId, item.nodeId)));
          if (!message) return; // nothing to engage with: the preview says so too (SPEC V5)
          const response = await api('POST', `/api/workspaces/${rt.workspaceId}/messages/${message.id}/engagement`, { kind: item.activity });
          if (response.status !== 200) throw new Error(`engagement: ${response.status} ${JSON.stringify(response.body)}`);
          await settled(rt);
        }
      });
    });
  });

  agenda.sort((a, b) => a.at - b.at || a.script - b.script || a.seq - b.seq);
  let next = 0;
  for (;;) {
    const inputAt = agenda[next]?.at ?? Infinity;
    const timerAt = await nextTimer(rt);
    const at = Math.min(inputAt, timerAt);
    if (at > endMs) break;
    if (at < rt.clock.now()) throw new Error(`the runtime has fallen behind: something due at ${iso(at)}, the clock at ${iso(rt.clock.now())}`);
    if (at > rt.clock.now()) await moveClock(rt, at);
    // Inputs before timers due at the same instant, as the preview plays them.
    if (inputAt <= timerAt) await agenda[next++]!.act();
    else await fireTimers(rt, at);
  }
  return played;
}

/** Runs `call` and says whether it started a run of the journey for the customer, or which refusal it recorded. */
async function entered(rt: TestRuntime, journeyId: string, customerId: string, call: () => Promise<void>): Promise<{ entry: EntryOutcome; runId: string | null }> {
  const runs = () =>
    rt.db
      .select()
      .from(progress)
      .where(and(eq(progress.customerId, customerId), eq(progress.journeyId, journeyId)));
  const refusals = async () =>
    new Map(
      (
        await rt.db
          .select()
          .from(entryRefusals)
          .where(and(eq(entryRefusals.customerId, customerId), eq(entryRefusals.journeyId, journeyId)))
      ).map((r) => [r.reason, r.count]),
    );
  const [runsBefore, refusedBefore] = [new Set((await runs()).map((r) => r.id)), await refusals()];
  await call();
  const started = (await runs()).filter((r) => !runsBefore.has(r.id));
  if (started.length > 1) throw new Error(`one event started ${started.length} runs`);
  if (started[0]) return { entry: { enters: true, at: iso(Date.parse(started[0].enteredAt)), key: started[0].key }, runId: started[0].id };
  const refused = [...(await refusals())].filter(([reason, count]) => count !== (refusedBefore.get(reason) ?? 0)).map(([reason]) => reason);
  if (refused.length > 1) throw new Error(`one event recorded the refusals ${refused.join(', ')}`);
  // The runtime records no refusal for an event that is not the trigger's (SPEC R6): the preview calls it `other-event`.
  return { entry: { enters: false, code: refused[0] ?? 'other-event' }, runId: null };
}

/** Waits (in real time, the test clock standing still) until every stored event went through the journeys. */
async function settled(rt: TestRuntime) {
  await eventually(async () => (await rt.pendingEvents()) === 0, { timeoutMs: 20_000, everyMs: 20 });
}

/** When the earliest timer of any active run is due (ISO instants sort as text). */
async function nextTimer(rt: TestRuntime): Promise<number> {
  const [row] = await rt.db.execute<{ until: string | null }>(sql`select min(${progress.state} -> 'position' ->> 'until') as until from ${progress} where ${progress.status} = 'active'`);
  return row?.until ? Date.parse(row.until) : Infinity;
}

/** Moves the clock once no job is still being handled, so no handler reads the new time. */
async function moveClock(rt: TestRuntime, at: number) {
  await eventually(async () => {
    const [row] = await rt.db.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where state = 'active'`);
    return row?.n === 0;
  });
  await rt.clock.setTime(at);
}

/** Lets pg-boss poll at this very instant (no time passes) and waits until every run due by now has moved on. */
async function fireTimers(rt: TestRuntime, at: number) {
  await rt.clock.tick(0);
  try {
    await eventually(async () => (await nextTimer(rt)) > at, { timeoutMs: 20_000, everyMs: 20 });
  } catch {
    throw new Error(`timers due at ${iso(at)} were not fired (the clock at ${iso(rt.clock.now())})`);
  }
}

/** The runtime's side: the entry and again outcomes recorded while playing, then the run as stored. */
export async function runtimeOutcome(rt: TestRuntime, play: Played): Promise<Outcome> {
  const base = { entry: play.entry, again: play.again };
  if (!play.runId) return { ...base, steps: [], messages: [], run: null };
  const [row] = await rt.db.select().from(progress).where(eq(progress.id, play.runId));
  const run = Progress.parse(row!.state);
  const path = await rt.db.select().from(steps).where(eq(steps.progressId, play.runId)).orderBy(asc(steps.id));
  const stepLines = path.map((s): StepLine => ({ nodeId: s.nodeId, handle: s.handle, reason: s.reason, detail: s.detail, at: iso(Date.parse(s.at)) }));
  // Messages in the order their sends were recorded (one send per node in these journeys).
  const sentAt = (nodeId: string) => stepLines.findIndex((s) => s.nodeId === nodeId && s.reason === 'sent');
  const sent = (await rt.db.select().from(messages).where(eq(messages.progressId, play.runId))).sort((a, b) => sentAt(a.nodeId) - sentAt(b.nodeId));
  return {
    ...base,
    steps: stepLines,
    messages: sent.map((m): MessageLine => ({ nodeId: m.nodeId, channel: m.channel, to: m.to, content: m.content, transactional: m.transactional })),
    run: finalState(run),
  };
}

/** The preview's side: the same story on the runtime's machine, customer, run id and context. */
export function previewOutcome(machine: JourneyMachine, play: Played): Outcome {
  const result = previewJourney({ machine, customer: play.profile, story: play.story, context: play.context, ...(play.runId ? { progressId: play.runId } : {}) });
  const entryOf = (entry: PreviewEntry): EntryOutcome => (entry.enters ? { enters: true, at: entry.at, key: entry.key } : { enters: false, code: entry.code });
  return {
    entry: entryOf(result.entry),
    again: result.rows.flatMap((row) => (row.kind === 'input' && row.again ? [entryOf(row.again)] : [])),
    steps: result.rows.flatMap((row) => (row.kind === 'step' ? [{ nodeId: row.nodeId, handle: row.handle, reason: row.reason, detail: row.detail, at: row.at }] : [])),
    messages: result.messages.map((m) => ({ nodeId: m.nodeId, channel: m.channel, to: m.to, content: m.content, transactional: m.transactional })),
    run: result.run && finalState(result.run),
  };
}

function finalState(run: Progress): Outcome['run'] {
  return { status: run.status, endReason: run.endReason, convertedAt: run.convertedAt, position: run.position && { nodeId: run.position.nodeId, until: run.position.until } };
}

/** The first step where the two paths differ, named with its index and both sides; null when they agree. */
export function firstDifference(preview: readonly StepLine[], runtime: readonly StepLine[]): string | null {
  for (let i = 0; i < Math.max(preview.length, runtime.length); i++) {
    const [p, r] = [JSON.stringify(preview[i]), JSON.stringify(runtime[i])];
    if (p !== r) return `step ${i}: preview ${p ?? '(no step)'}, runtime ${r ?? '(no step)'}`;
  }
  return null;
}

/** An outcome in short lines (`node:reason`, `refused:code`, `again:code`, `run:status:reason`, `converted`) for `Script.shows`. */
export function outcomeLines(outcome: Outcome): string[] {
  const entry = (e: EntryOutcome) => (e.enters ? 'entered' : `refused:${e.code}`);
  return [
    entry(outcome.entry),
    ...outcome.again.map((e) => `again:${e.enters ? 'entered' : e.code}`),
    ...outcome.steps.map((s) => `${s.nodeId}:${s.reason}`),
    ...(outcome.run ? [`run:${outcome.run.status}:${outcome.run.endReason}`, ...(outcome.run.convertedAt ? ['converted'] : [])] : []),
  ];
}
