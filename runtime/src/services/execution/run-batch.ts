import {
  advance,
  armFor,
  waitMetric,
  customerTimeZone,
  type AdvanceResult,
  type CustomerEvent,
  type ConsentPolicy,
  type CustomerProfile,
  type Effect,
  type EngineInput,
  type JourneyMachine,
  type MessageActivity,
  type Progress,
} from '@waymark/shared';
import { dayIn } from './node-stats.ts';

/** A run as loaded from (or about to be written to) the `progress` table. */
export interface RunRecord {
  workspaceId: string;
  journeyId: string;
  version: number;
  machine: JourneyMachine;
  progress: Progress;
  /** The stored revision; null for a run created in this batch. */
  revision: number | null;
  changed: boolean;
}

export interface CustomerRecord {
  workspaceId: string;
  profile: CustomerProfile;
  /** Frequency cap, default zone and consent policy of the workspace. */
  frequencyCap: Record<string, number>;
  workspaceZone: string;
  consentPolicy: ConsentPolicy;
  events: CustomerEvent[];
  /** Messages sent today per channel, keyed by local day. */
  sentByDay: Map<string, number>;
  traitsChanged: { set: Record<string, unknown>; unset: Set<string> };
  /** When the customer's segments are due to be checked again, as stored (ms); absent when none is set. */
  recheckAt?: number;
}

export interface StepRow {
  workspaceId: string;
  progressId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  handle: string | null;
  reason: string;
  detail: string;
  at: string;
}

export interface MessageRow {
  id: string;
  workspaceId: string;
  idempotencyKey: string;
  progressId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  customerId: string;
  channel: string;
  to: string | null;
  content: Record<string, unknown>;
  transactional: boolean;
  createdAt: string;
}

export interface TimerRow {
  progressId: string;
  timerId: string;
  at: string;
}

/** An input kept for a run of a paused journey, to be fed to it at resume. */
export interface HeldRow {
  workspaceId: string;
  journeyId: string;
  progressId: string;
  input: EngineInput;
  heldAt: string;
}

/** An entry a journey refused, with why. */
export interface RefusalRow {
  workspaceId: string;
  journeyId: string;
  customerId: string;
  version: number;
  reason: string;
  detail: string;
  at: string;
}

/** Everything one transaction will write, gathered in memory while the engine runs. */
export interface Batch {
  runs: Map<string, RunRecord>;
  customers: Map<string, CustomerRecord>;
  steps: StepRow[];
  messages: MessageRow[];
  timers: TimerRow[];
  stats: Map<string, number>;
  sendCounts: Map<string, number>;
  /** Journeys paused now: their runs' inputs are held, not acted on. */
  paused: Set<string>;
  held: HeldRow[];
  refusals: RefusalRow[];
}

export function createBatch(): Batch {
  return { runs: new Map(), customers: new Map(), steps: [], messages: [], timers: [], stats: new Map(), sendCounts: new Map(), paused: new Set(), held: [], refusals: [] };
}

/**
 * Feeds an input to a run, unless its journey is paused: then the input is held (SPEC P1) and fed
 * at resume. Returns whether the run was advanced.
 */
export function advanceOrHold(batch: Batch, run: RunRecord, input: EngineInput, now: number, activity: MessageActivity[] = []): boolean {
  if (batch.paused.has(run.journeyId)) {
    batch.held.push({ workspaceId: run.workspaceId, journeyId: run.journeyId, progressId: run.progress.id, input, heldAt: new Date(now).toISOString() });
    return false;
  }
  advanceRun(batch, run, input, now, activity);
  return true;
}

/** Records a refused entry and counts it on the journey (`refused:<reason>`). */
export function refuseEntry(batch: Batch, refusal: Omit<RefusalRow, 'at'>, now: number) {
  batch.refusals.push({ ...refusal, at: new Date(now).toISOString() });
  bump(batch, `${refusal.workspaceId}|${refusal.journeyId}|${refusal.version}|${journeyNode}|refused:${refusal.reason}`);
}

const statKey = (run: RunRecord, nodeId: string, metric: string) => `${run.workspaceId}|${run.journeyId}|${run.version}|${nodeId}|${metric}`;
/** Journey-level counters live on this pseudo node id. */
export const journeyNode = '_journey';

/** Adds to one counter of the batch (written with it by `persistBatch`). */
export function countStat(batch: Batch, delta: { workspaceId: string; journeyId: string; version: number; nodeId: string; metric: string; count: number }) {
  bump(batch, `${delta.workspaceId}|${delta.journeyId}|${delta.version}|${delta.nodeId}|${delta.metric}`, delta.count);
}

function bump(batch: Batch, key: string, by = 1) {
  batch.stats.set(key, (batch.stats.get(key) ?? 0) + by);
}

/** The customer's local calendar day, the unit of the frequency cap. */
export function localDay(customer: CustomerRecord, at: number): string {
  return dayIn(at, customerTimeZone(customer.profile, customer.workspaceZone));
}

/**
 * Feeds one input to one run with the shared engine and records what must be written: steps,
 * messages, timers, trait changes and counters. The run and customer in the batch are updated
 * so a later input in the same batch sees them.
 */
export function advanceRun(batch: Batch, run: RunRecord, input: EngineInput, now: number, activity: MessageActivity[] = [], options: { skipSends?: string } = {}): AdvanceResult {
  const customer = batch.customers.get(run.progress.customerId)!;
  const day = localDay(customer, now);
  const sentToday = Object.fromEntries(['email', 'sms', 'push', 'in-app'].map((c) => [c, customer.sentByDay.get(`${day}|${c}`) ?? 0]));
  const before = run.progress;
  const result = advance(run.machine, before, input, {
    now: new Date(now).toISOString(),
    customer: customer.profile,
    events: customer.events,
    messageActivity: activity,
    sentToday,
    frequencyCap: customer.frequencyCap,
    consentPolicy: customer.consentPolicy,
    ...(options.skipSends ? { skipSends: options.skipSends } : {}),
  });
  if (result.ignored) return result;
  run.progress = result.progress;
  run.changed = true;
  record(batch, run, customer, before, result.effects, day);
  return result;
}

function record(batch: Batch, run: RunRecord, customer: CustomerRecord, before: Progress, effects: Effect[], day: string) {
  const parkedAt = before.position?.nodeId;
  const seen = new Set<string>();
  for (const effect of effects) {
    switch (effect.type) {
      case 'record-step': {
        batch.steps.push({
          workspaceId: run.workspaceId,
          progressId: run.progress.id,
          journeyId: run.journeyId,
          version: run.version,
          nodeId: effect.nodeId,
          handle: effect.handle,
          reason: effect.reason,
          detail: effect.detail,
          at: effect.at,
        });
        const continuing = effect.nodeId === parkedAt && !seen.has(effect.nodeId);
        if (!continuing && !seen.has(effect.nodeId)) bump(batch, statKey(run, effect.nodeId, 'entered'));
        seen.add(effect.nodeId);
        if (effect.handle) bump(batch, statKey(run, effect.nodeId, `left:${effect.handle}`));
        if (effect.reason.startsWith('skipped:')) bump(batch, statKey(run, effect.nodeId, effect.reason));
        if (effect.nodeId === run.machine.initial && effect.reason === 'entered') bump(batch, statKey(run, journeyNode, 'entered'));
        break;
      }
      case 'send-message':
        batch.messages.push({
          id: crypto.randomUUID(),
          workspaceId: run.workspaceId,
          idempotencyKey: effect.idempotencyKey,
          progressId: run.progress.id,
          journeyId: run.journeyId,
          version: run.version,
          nodeId: effect.nodeId,
          customerId: run.progress.customerId,
          channel: effect.channel,
          to: effect.to,
          content: effect.content,
          transactional: effect.transactional,
          createdAt: run.progress.updatedAt,
        });
        bump(batch, statKey(run, effect.nodeId, 'queued'));
        bump(batch, statKey(run, effect.nodeId, `queued@${effect.channel}`));
        if (effect.channel !== 'webhook') {
          const key = `${day}|${effect.channel}`;
          customer.sentByDay.set(key, (customer.sentByDay.get(key) ?? 0) + 1);
          batch.sendCounts.set(
            `${run.workspaceId}|${run.progress.customerId}|${effect.channel}|${day}`,
            (batch.sendCounts.get(`${run.workspaceId}|${run.progress.customerId}|${effect.channel}|${day}`) ?? 0) + 1,
          );
        }
        break;
      case 'schedule-timer':
        batch.timers.push({ progressId: run.progress.id, timerId: effect.timerId, at: effect.at });
        break;
      case 'update-profile': {
        const traits = { ...customer.profile.traits, ...effect.set };
        for (const trait of effect.unset) delete traits[trait];
        customer.profile = { ...customer.profile, traits };
        Object.assign(customer.traitsChanged.set, effect.set);
        for (const trait of effect.unset) {
          customer.traitsChanged.unset.add(trait);
          delete customer.traitsChanged.set[trait];
        }
        break;
      }
      case 'convert':
        // Counted on the journey and on every node the run passed, so each branch shows its own
        // conversions; on a split also per arm (`converted:<arm>`), found again from the customer's bucket.
        bump(batch, statKey(run, journeyNode, 'converted'));
        for (const nodeId of Object.keys(run.progress.visits)) {
          bump(batch, statKey(run, nodeId, 'converted'));
          const state = run.machine.states[nodeId];
          if (state?.type === 'split') bump(batch, statKey(run, nodeId, `converted:${armFor(run.journeyId, nodeId, run.progress.customerId, state.arms).id}`));
        }
        break;
      case 'exit':
        bump(batch, statKey(run, journeyNode, `exit:${effect.reason}`));
        if (effect.nodeId) bump(batch, statKey(run, effect.nodeId, 'exited'));
        break;
      case 'await-event':
        break;
    }
  }
  const after = run.progress.position;
  if (parkedAt && after?.nodeId !== parkedAt && isWait(run.machine.states[parkedAt]?.type)) {
    // Time spent in a wait, from when the run parked there (its last change), into one bucket.
    bump(batch, statKey(run, parkedAt, waitMetric(Date.parse(run.progress.updatedAt) - Date.parse(before.updatedAt))));
  }
  if (parkedAt && (after?.nodeId !== parkedAt || before.position?.timerId !== after?.timerId)) bump(batch, statKey(run, parkedAt, 'waiting'), -1);
  if (after && (after.nodeId !== parkedAt || before.position?.timerId !== after.timerId)) bump(batch, statKey(run, after.nodeId, 'waiting'));
}

const isWait = (type: string | undefined) => type === 'wait' || type === 'wait-for-event';
