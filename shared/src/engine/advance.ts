import { durationToMs, segmentEventNames, type Channel } from '../graph/index.ts';
import type { JourneyMachine, MachineState } from '../compile/index.ts';
import { armFor } from './bucket.ts';
import { countsTowardCap } from './channel-policy.ts';
import { evaluateRules, matchesFilter, resolveFilter, type RuleEnv } from './evaluate-rules.ts';
import { planSend, type SendPlan } from './plan-send.ts';
import { applyOperations } from './update-profile.ts';
import { templateScope } from './render-content.ts';
import { customerTimeZone } from './time-zone.ts';
import type { AdvanceResult, CustomerEvent, Effect, EngineContext, EngineInput, ExitReason, RunPosition, Progress, RunStatus, StepReason } from './types.ts';
import { waitUntil } from './wait-until.ts';

const defaultStepCap = 100;

/**
 * Moves one run forward on one input, through instantaneous states until it waits or ends.
 * Pure: performs no effects, reads no clock; it returns the new progress and the effects to apply.
 */
export function advance(machine: JourneyMachine, progress: Progress, input: EngineInput, ctx: EngineContext): AdvanceResult {
  // A completed run still counts a goal inside its window (SPEC C6); nothing else reaches an ended run.
  const lateGoal = input.type === 'goal' && progress.status === 'completed';
  if (progress.status !== 'active' && !lateGoal) return { progress, effects: [], ignored: 'not-active' };
  const now = Date.parse(ctx.now);
  const at = new Date(now).toISOString();
  const next: Progress = { ...progress, visits: { ...progress.visits }, updatedAt: at };
  const effects: Effect[] = [];
  let customer = ctx.customer;
  const sentToday = { ...ctx.sentToday };
  const env = (): RuleEnv => ({ now, customer, trigger: next.trigger, events: ctx.events ?? [], messageActivity: ctx.messageActivity ?? [], consentPolicy: ctx.consentPolicy });
  const { settings } = machine;

  const step = (nodeId: string, handle: string | null, reason: StepReason, detail: string) => effects.push({ type: 'record-step', nodeId, handle, reason, detail, at });

  const end = (status: RunStatus, reason: ExitReason, nodeId: string | null) => {
    next.status = status;
    next.position = null;
    next.endedAt = at;
    next.endReason = reason;
    effects.push({ type: 'exit', reason, nodeId, at });
  };

  const park = (nodeId: string, waiting: RunPosition['waiting'], until: number) => {
    const timerId = `${next.id}:${nodeId}:${next.visits[nodeId] ?? 0}:${waiting}`;
    const untilIso = new Date(until).toISOString();
    next.position = { nodeId, waiting, until: untilIso, timerId };
    effects.push({ type: 'schedule-timer', timerId, nodeId, at: untilIso, purpose: waiting });
  };

  /** Runs states from `start` until one waits or the run ends; `resume` re-enters a deferred send. */
  const runFrom = (start: string | null, resume = false) => {
    let current = start;
    let steps = 0;
    next.position = null;
    while (current !== null) {
      if (++steps > (ctx.stepCap ?? defaultStepCap)) return end('completed', 'step-cap', current);
      const nodeId: string = current;
      const state = machine.states[nodeId] as MachineState;
      if (!(resume && steps === 1)) next.visits[nodeId] = (next.visits[nodeId] ?? 0) + 1;
      current = runState(nodeId, state);
      if (next.position || next.status !== 'active') return;
    }
    end('completed', 'completed', null);
  };

  /** Executes one state; returns the next state id, or null after parking or ending the run. */
  const runState = (nodeId: string, state: MachineState): string | null => {
    switch (state.type) {
      case 'trigger':
        step(nodeId, 'next', 'entered', next.trigger ? `entered on ${next.trigger.name}` : 'entered');
        return state.next;
      case 'wait': {
        const zone = customerTimeZone(customer, 'fallbackTimeZone' in state.wait ? state.wait.fallbackTimeZone : undefined, settings.timeZone);
        const until = waitUntil(state.wait, { now, zone, traits: customer.traits, trigger: next.trigger?.properties });
        if (until === null) {
          const field = state.wait.kind === 'date' ? state.wait.path : '';
          step(nodeId, state.wait.kind === 'date' && state.wait.ifMissing === 'continue' ? 'next' : null, 'wait-date-missing', `${field} is missing or not a date`);
          if (state.wait.kind === 'date' && state.wait.ifMissing === 'continue') return state.next;
          end('exited', 'date-missing', nodeId);
          return null;
        }
        if (until <= now) {
          step(nodeId, 'next', 'wait-already-due', `due at ${new Date(until).toISOString()}, already past`);
          return state.next;
        }
        park(nodeId, 'timer', until);
        step(nodeId, null, 'waiting', `until ${new Date(until).toISOString()} (${zone})`);
        return null;
      }
      case 'wait-for-event': {
        const until = now + durationToMs(state.timeout);
        const filter = resolveFilter(state.filter, env());
        park(nodeId, 'event', until);
        effects.push({ type: 'await-event', nodeId, event: state.event, filter, until: new Date(until).toISOString() });
        step(nodeId, null, 'waiting-for-event', `for ${state.event} until ${new Date(until).toISOString()}`);
        return null;
      }
      case 'condition': {
        const verdict = evaluateRules(state.rules, env());
        step(nodeId, verdict.matched ? 'yes' : 'no', verdict.matched ? 'rules-matched' : 'rules-not-matched', verdict.detail);
        return verdict.matched ? state.onYes : state.onNo;
      }
      case 'split': {
        const arm = armFor(machine.journeyId, nodeId, next.customerId, state.arms);
        if (arm.next !== null) {
          step(nodeId, arm.id, 'split-assigned', `arm ${arm.label ?? arm.id} (${arm.weight}%)`);
          return arm.next;
        }
        step(nodeId, arm.id, 'holdout', `held out in ${arm.label ?? arm.id} (${arm.weight}%)`);
        const goal = settings.goal;
        const closes = goal ? Date.parse(next.enteredAt) + durationToMs(goal.window) : now;
        if (closes > now && !next.convertedAt) park(nodeId, 'holdout', closes);
        else end('completed', 'holdout', nodeId);
        return null;
      }
      case 'send': {
        const zone = customerTimeZone(customer, settings.timeZone);
        const plan: SendPlan = ctx.skipSends
          ? { kind: 'skip', reason: 'skipped:paused', detail: ctx.skipSends }
          : planSend(state, {
              now,
              zone,
              customer,
              settings,
              scope: templateScope(next, customer, machine.name, { zone, now: at }),
              sentToday,
              frequencyCap: ctx.frequencyCap ?? {},
              consentPolicy: ctx.consentPolicy,
            });
        if (plan.kind === 'defer') {
          park(nodeId, 'quiet-hours', plan.until);
          step(nodeId, null, 'deferred:quiet-hours', plan.detail);
          return null;
        }
        if (plan.kind === 'skip') {
          step(nodeId, 'next', plan.reason, plan.detail);
          return state.next;
        }
        const visit = next.visits[nodeId] ?? 1;
        effects.push({
          type: 'send-message',
          idempotencyKey: `${next.id}:${nodeId}:${visit}`,
          nodeId,
          channel: plan.channel,
          to: plan.to,
          content: plan.content,
          transactional: state.transactional,
        });
        if (countsTowardCap(plan.channel)) sentToday[plan.channel as Channel] = (sentToday[plan.channel] ?? 0) + 1;
        step(nodeId, 'next', 'sent', plan.detail);
        return state.next;
      }
      case 'update-profile': {
        const applied = applyOperations(state.operations, customer, templateScope(next, customer, machine.name, { zone: customerTimeZone(customer, settings.timeZone), now: at }));
        customer = applied.customer;
        effects.push({ type: 'update-profile', nodeId, set: applied.set, unset: applied.unset });
        if (applied.errors.length) step(nodeId, 'next', 'skipped:template-error', applied.errors.join('; '));
        else step(nodeId, 'next', 'profile-updated', applied.summary);
        return state.next;
      }
      case 'exit':
        step(nodeId, null, 'exit-node', state.reason ?? 'reached exit');
        end('completed', 'exit-node', nodeId);
        return null;
    }
  };

  /** Counts a conversion once per run inside the goal window; ends the run unless told not to. */
  const convert = (event: CustomerEvent): boolean => {
    const goal = settings.goal;
    if (!goal || event.name !== goal.event || next.convertedAt) return false;
    const happened = Date.parse(event.timestamp);
    const entered = Date.parse(next.enteredAt);
    if (happened < entered || happened > entered + durationToMs(goal.window)) return false;
    if (goal.filter?.length && !matchesFilter(goal.filter, event, env()).matched) return false;
    next.convertedAt = at;
    effects.push({ type: 'convert', event: event.name, at });
    if (goal.exitOnConversion && next.status === 'active') end('converted', 'converted', next.position?.nodeId ?? null);
    return true;
  };

  const exitCriteriaMet = (event: CustomerEvent): boolean =>
    (settings.exitCriteria?.events ?? []).some((criterion) => criterion.event === event.name && (!criterion.filter?.length || matchesFilter(criterion.filter, event, env()).matched));
  /**
   * Leaving a segment ends the run: one the exit criteria name (exited early), or the segment an
   * "enters segment" trigger entered by, when the journey exits those who stop matching its entry.
   */
  const leftSegment = (event: CustomerEvent): ExitReason | null => {
    if (event.name !== segmentEventNames.exited) return null;
    const left = event.properties.segmentId;
    const { entry } = machine;
    if (settings.exitCriteria?.whenEntryRulesStopMatching && entry.kind === 'segment-change' && entry.change === 'entered' && entry.segmentId === left) return 'entry-rules-unmatched';
    return (settings.exitCriteria?.segments ?? []).some((criterion) => criterion.segmentId === left) ? 'exited-early' : null;
  };

  const position = progress.position;
  switch (input.type) {
    case 'enter':
      if (position || Object.keys(progress.visits).length > 0) return { progress, effects: [], ignored: 'already-entered' };
      runFrom(machine.initial);
      break;
    case 'timer-fired': {
      if (!position || position.timerId !== input.timerId) return { progress, effects: [], ignored: 'stale-timer' };
      const state = machine.states[position.nodeId] as MachineState;
      if (position.waiting === 'holdout') {
        end('completed', 'holdout', position.nodeId);
      } else if (position.waiting === 'quiet-hours') {
        runFrom(position.nodeId, true);
      } else if (state.type === 'wait') {
        step(position.nodeId, 'next', 'wait-elapsed', `waited until ${position.until}`);
        runFrom(state.next);
      } else if (state.type === 'wait-for-event') {
        step(position.nodeId, 'timeout', 'event-timeout', `no ${state.event} by ${position.until}`);
        runFrom(state.onTimeout);
      }
      break;
    }
    case 'event': {
      const exit = exitCriteriaMet(input.event) ? 'exited-early' : leftSegment(input.event);
      if (exit) {
        end('exited', exit, position?.nodeId ?? null);
        break;
      }
      if (convert(input.event) && next.status !== 'active') break;
      const state = position ? (machine.states[position.nodeId] as MachineState) : undefined;
      if (position?.waiting === 'event' && state?.type === 'wait-for-event' && state.event === input.event.name) {
        const verdict = matchesFilter(state.filter ?? [], input.event, env());
        if (verdict.matched) {
          next.lastEvent = input.event;
          step(position.nodeId, 'event', 'event-matched', verdict.detail);
          runFrom(state.onEvent);
        }
      }
      break;
    }
    case 'goal':
      if (!convert(input.event) && lateGoal) return { progress, effects: [], ignored: 'not-active' };
      break;
    case 'profile-changed':
      if (settings.exitCriteria?.whenEntryRulesStopMatching && machine.entry.kind === 'segment' && !evaluateRules(machine.entry.rules, env()).matched) {
        end('exited', 'entry-rules-unmatched', position?.nodeId ?? null);
      }
      break;
  }
  if (effects.length === 0) return { progress, effects, ignored: 'not-waiting' };
  return { progress: next, effects };
}
