import { type Data, durationWords, filterWords, listWords } from '../nodes/rule-words.ts';

/**
 * The journey's goal and exit criteria in words, for the canvas header: "Goal: Order Completed
 * within 7 days"; segments by name (`segmentNames`, id → name) when known.
 */
export function goalWords(settings: Data | undefined, segmentNames: ReadonlyMap<string, string> = new Map()): { goal: string; exits: string | null } {
  const goal = settings?.goal;
  const where = goal?.filter?.length ? ` where ${filterWords(goal.filter)}` : '';
  const goalText = goal?.event ? `Goal: ${goal.event}${where} within ${durationWords(goal.window)}` : 'No goal yet: set one in Settings to count conversions';
  const criteria = settings?.exitCriteria;
  const events = ((criteria?.events ?? []) as Data[]).map((e) => `${e.event || '…'}${e.filter?.length ? ` where ${filterWords(e.filter)}` : ''}`);
  const left = ((criteria?.segments ?? []) as Data[]).filter((s) => s.segmentId).map((s) => segmentNames.get(s.segmentId) ?? 'a deleted segment');
  const reasons = [
    ...(events.length ? [listWords(events, 'or')] : []),
    ...(left.length ? [`they leave ${listWords(left, 'or')}`] : []),
    ...(criteria?.whenEntryRulesStopMatching ? ['they stop matching the entry rules'] : []),
  ];
  return { goal: goalText, exits: reasons.length ? `Exits early on ${reasons.join(', or when ')}` : null };
}
