import {
  customerTimeZone,
  exitEventNames,
  Progress,
  type Channel,
  type Duration,
  type ExitReason,
  type InputOutcome,
  type JourneyMachine,
  type PreviewMessage,
  type PreviewResult,
  type PreviewRow,
  type RunReplay,
  type StepReason,
} from '@waymark/shared';
import { and, asc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { customerIdentities, events, messages, progress, steps } from '../../db/schema.ts';
import { loadMachines, machineKey } from '../execution/machines.ts';
import { PreviewError } from '../preview/preview-error.ts';
import { engineProfile } from '../preview/preview-subject.ts';
import { bestName } from './best-name.ts';
import { findCustomer } from './find-customer.ts';

/** The most steps and inputs a replay reads: a run that loops through waits for months stays answerable. */
const maxSteps = 5_000;
const maxInputs = 1_000;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Line = DistributiveOmit<PreviewRow, 'index'>;
type StepLine = Extract<Line, { kind: 'step' }>;
/** A call of the customer's while the run was live; times in ISO form. */
interface Input {
  type: string;
  name: string | null;
  properties: Record<string, unknown>;
  messageId: string;
  timestamp: string;
  receivedAt: string;
}

const iso = (value: string) => new Date(value).toISOString();
/** A timestamp column as ISO text, whatever the session's date style. */
const isoText = (column: typeof steps.at | typeof events.timestamp | typeof events.receivedAt) => sql<string>`to_json(${column}) #>> '{}'`;

/**
 * A real run told as a preview is: its entry, each step with its reason and the message it sent
 * (as stored), the customer's track and identify calls while it was live with what each did, its
 * conversion and its end — or, for an active run, where it waits and until when.
 */
export async function runReplay(db: Db, workspaceId: string, customerId: string, runId: string): Promise<RunReplay> {
  const customer = await findCustomer(db, workspaceId, customerId);
  const [row] = await db
    .select()
    .from(progress)
    .where(and(eq(progress.workspaceId, workspaceId), eq(progress.customerId, customer.id), eq(progress.id, runId)));
  if (!row) throw new PreviewError('not-found', 'run-not-found', `Customer "${customerId}" has no run "${runId}".`, { field: 'runId' });
  const run = Progress.parse(row.state);
  const machine = (await loadMachines(db, [{ journeyId: row.journeyId, version: row.version }])).get(machineKey(row.journeyId, row.version));
  if (!machine) throw new PreviewError('not-found', 'version-not-found', `The run's journey version ${row.version} is gone.`);

  const [stepRows, sent, [identity], [triggerRow]] = await Promise.all([
    db
      .select({ nodeId: steps.nodeId, handle: steps.handle, reason: steps.reason, detail: steps.detail, at: isoText(steps.at) })
      .from(steps)
      .where(eq(steps.progressId, row.id))
      .orderBy(asc(steps.id))
      .limit(maxSteps),
    db
      .select({ nodeId: messages.nodeId, channel: messages.channel, to: messages.to, content: messages.content, transactional: messages.transactional })
      .from(messages)
      .where(eq(messages.progressId, row.id))
      .orderBy(asc(messages.createdAt), asc(messages.id)),
    db
      .select({ value: customerIdentities.value })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.customerId, customer.id), eq(customerIdentities.kind, 'user_id')))
      .limit(1),
    run.trigger?.id
      ? db
          .select({ id: events.id })
          .from(events)
          .where(and(eq(events.workspaceId, workspaceId), eq(events.messageId, run.trigger.id)))
      : Promise.resolve([]),
  ]);
  // What reached the run: calls stored after its trigger (an audience entry: received since it entered), until it ended or converted late.
  const until =
    run.status === 'active'
      ? null
      : [run.endedAt, run.convertedAt]
          .filter((t): t is string => t !== null)
          .sort()
          .at(-1);
  const calls = await db
    .select({ type: events.type, name: events.name, properties: events.properties, messageId: events.messageId, timestamp: isoText(events.timestamp), receivedAt: isoText(events.receivedAt) })
    .from(events)
    .where(
      and(
        eq(events.customerId, customer.id),
        inArray(events.type, ['track', 'identify']),
        triggerRow ? gt(events.id, triggerRow.id) : gte(events.receivedAt, run.enteredAt),
        until ? lte(events.receivedAt, until) : undefined,
      ),
    )
    .orderBy(asc(events.receivedAt), asc(events.id))
    .limit(maxInputs);
  const inputs: Input[] = calls.map((input) => ({ ...input, timestamp: iso(input.timestamp), receivedAt: iso(input.receivedAt) }));

  const profile = engineProfile(customer.id, { traits: customer.traits, channels: customer.channels, preferredChannel: customer.preferredChannel, externalId: identity?.value });
  const messagesByNode = Map.groupBy(sent, (m) => m.nodeId);
  const attached: PreviewMessage[] = [];
  const stepLines = stepRows.map((step): StepLine => {
    const stored = step.reason === 'sent' ? messagesByNode.get(step.nodeId)?.shift() : undefined;
    const message = stored && { nodeId: stored.nodeId, channel: stored.channel as Channel, to: stored.to, content: stored.content as Record<string, unknown>, transactional: stored.transactional };
    if (message) attached.push(message);
    // Steps the delivery worker writes (`delivery-failed`) have reasons of their own beyond the engine's.
    return { at: iso(step.at), kind: 'step', nodeId: step.nodeId, handle: step.handle, reason: step.reason as StepReason, detail: step.detail, ...(message ? { message } : {}) };
  });
  const result: PreviewResult = {
    entry: { enters: true, at: run.enteredAt, key: run.key },
    zone: customerTimeZone(profile, machine.settings.timeZone),
    rows: timeline(machine, run, stepLines, inputs),
    run,
    customer: profile,
    messages: attached,
    ...path(stepLines),
  };
  const name = bestName(profile.traits, { email: profile.channels.email?.address, userId: profile.externalId, phone: profile.channels.sms?.address });
  return { journeyId: row.journeyId, version: row.version, customerName: name ?? customer.id, result };
}

/** Steps passed, in order (a wait's two steps are one visit), and branches taken, as `previewJourney` counts them. */
function path(stepLines: StepLine[]): Pick<PreviewResult, 'visited' | 'taken'> {
  const visited: string[] = [];
  const taken: string[] = [];
  for (const step of stepLines) {
    if (visited.at(-1) !== step.nodeId) visited.push(step.nodeId);
    if (step.handle) taken.push(`${step.nodeId}:${step.handle}`);
  }
  return { visited, taken };
}

/**
 * The rows in time order: entry, steps, conversion and end; each input just before what it caused,
 * or after everything recorded at its instant; the pending wait last.
 *
 * What an input did is read from what was recorded, not replayed: a track call "moved the run on" when
 * it is the latest call of the awaited name before an `event-matched` step of a wait-for-event; it
 * "converted" (or "exited early") when it is the latest call of the goal (exit criterion) before the
 * conversion (the end). Any other track call changed nothing, or came after the run ended; an identify
 * call changed the profile.
 */
function timeline(machine: JourneyMachine, run: Progress, stepLines: StepLine[], inputs: Input[]): PreviewRow[] {
  const lines: Line[] = [{ at: run.enteredAt, kind: 'entry', entry: { enters: true, at: run.enteredAt, key: run.key }, event: run.trigger, receivedAt: run.enteredAt }, ...stepLines];
  const goal = machine.settings.goal?.event;
  const late = run.convertedAt !== null && run.endedAt !== null && Date.parse(run.convertedAt) > Date.parse(run.endedAt);
  if (run.convertedAt && goal) lines.push({ at: run.convertedAt, kind: 'conversion', event: goal, late });
  if (run.status !== 'active' && run.endedAt) {
    lines.push({ at: run.endedAt, kind: 'exit', reason: run.endReason as ExitReason, nodeId: run.endReason === 'completed' ? null : (stepLines.at(-1)?.nodeId ?? null) });
  }
  const rank = { entry: 0, step: 1, input: 1, conversion: 2, exit: 3, pending: 4 };
  lines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank[a.kind] - rank[b.kind]);

  const causes = new Map<number, { line: Line; outcome: InputOutcome; detail: string }>();
  /** The latest track call named in `names`, not yet the cause of anything, that arrived by `line`, caused it. */
  const claim = (line: Line, names: ReadonlySet<string | undefined>, outcome: InputOutcome, said: string) => {
    for (let i = inputs.length - 1; i >= 0; i--) {
      const input = inputs[i]!;
      if (input.type !== 'track' || causes.has(i) || !names.has(input.name ?? '') || Date.parse(input.receivedAt) > Date.parse(line.at)) continue;
      causes.set(i, { line, outcome, detail: `${input.name} ${said}` });
      return;
    }
  };
  for (const line of lines) {
    const state = line.kind === 'step' && line.reason === 'event-matched' ? machine.states[line.nodeId] : undefined;
    if (state?.type === 'wait-for-event') claim(line, new Set([state.event]), 'moved-on', 'arrived and the run moved on');
    if (line.kind === 'conversion') claim(line, new Set([goal]), late ? 'late-conversion' : 'converted', `is the goal: converted${late ? ' after the run finished' : ''}`);
    if (line.kind === 'exit' && line.reason === 'exited-early') {
      claim(line, exitEventNames(machine), 'exited-early', 'is an exit criterion: the run ends');
    }
  }

  const before = lines.map((): Line[] => []);
  const after: Line[] = [];
  inputs.forEach((input, i) => {
    const cause = causes.get(i);
    const line = inputLine(run, input, cause);
    const slot = cause ? lines.indexOf(cause.line) : lines.findIndex((l) => l.kind !== 'entry' && Date.parse(l.at) > Date.parse(line.at));
    (slot < 0 ? after : before[slot]!).push(line);
  });
  const ordered = [...lines.flatMap((line, i) => [...before[i]!, line]), ...after];
  if (run.status === 'active' && run.position) {
    const { nodeId, until } = run.position;
    const parked = ordered.findLast((line): line is StepLine => line.kind === 'step' && line.nodeId === nodeId);
    if (parked) parked.until = until;
    ordered.push({ at: until, kind: 'pending', nodeId, until, detail: 'waiting here now' });
  }
  return ordered.map((line, index) => ({ ...line, index }) as PreviewRow);
}

/** One input's line: the call as a story item, when it reached Waymark, and what it did. */
function inputLine(run: Progress, input: Input, cause: { outcome: InputOutcome; detail: string } | undefined): Line {
  const { receivedAt, timestamp } = input;
  const after = since(Date.parse(timestamp) - Date.parse(run.enteredAt));
  if (input.type === 'identify') {
    const changed = Object.keys(input.properties).join(', ');
    return { at: receivedAt, kind: 'input', item: { kind: 'identify', after, traits: input.properties }, receivedAt, outcome: 'profile-changed', detail: `profile changed: ${changed || 'nothing'}` };
  }
  const name = input.name ?? '';
  const lateBy = Date.parse(receivedAt) - Date.parse(timestamp);
  const ended = run.endedAt !== null && Date.parse(receivedAt) > Date.parse(run.endedAt);
  const [outcome, detail] = cause
    ? [cause.outcome, cause.detail]
    : ended
      ? (['run-ended', `${name} came after the run ended`] as const)
      : (['not-waiting-for-it', `${name} changed nothing: the run was not waiting for it`] as const);
  return {
    at: receivedAt,
    kind: 'input',
    item: { kind: 'track', after, name, properties: input.properties, ...(lateBy >= 60_000 ? { delay: since(lateBy) } : {}) },
    event: { id: input.messageId, name, properties: input.properties, timestamp },
    receivedAt,
    outcome,
    detail,
  };
}

/** A span as a story's duration: minutes while they fit the contract's 10,000, then hours, days, weeks. */
function since(ms: number): Duration {
  const span = Math.max(0, ms);
  for (const [unit, size] of [
    ['minutes', 60_000],
    ['hours', 3_600_000],
    ['days', 86_400_000],
  ] as const) {
    if (Math.round(span / size) <= 10_000) return { amount: Math.round(span / size), unit };
  }
  return { amount: Math.min(10_000, Math.round(span / 604_800_000)), unit: 'weeks' };
}
