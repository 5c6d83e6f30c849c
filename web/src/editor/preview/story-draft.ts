import { type ConsentState, type Duration, durationToMs, type Story, type StoryItem } from '@waymark/shared';
import { recordFromRows, recordWords, type TypedRow } from './typed-rows.ts';
import { localToInstant } from './zoned-format.ts';

/** How the test customer enters: a wall-clock time in their zone, the event (empty: the trigger's), its properties, how late it arrives. */
export interface EntryDraft {
  at: string;
  event: string;
  properties: TypedRow[];
  delay: Duration | null;
}

export type ConsentChannel = 'email' | 'sms' | 'push';

/** One scripted input as it is being written; `after` is the time after entry. */
export type ItemDraft = { id: string; after: Duration } & (
  | { kind: 'track'; name: string; properties: TypedRow[]; delay: Duration | null }
  | { kind: 'identify'; traits: TypedRow[]; consent: Partial<Record<ConsentChannel, ConsentState>>; timezone: string }
  | { kind: 'engagement'; nodeId: string; activity: 'opened' | 'clicked' | 'unsubscribed' | 'delivered' }
);

export interface StoryDraft {
  entry: EntryDraft;
  items: ItemDraft[];
}

/** The scripted inputs in the order they happen (the order written among equal times). Pure. */
export function sortItems(items: readonly ItemDraft[]): ItemDraft[] {
  return items
    .map((item, order) => ({ item, order }))
    .sort((a, b) => durationToMs(a.item.after) - durationToMs(b.item.after) || a.order - b.order)
    .map(({ item }) => item);
}

/** The traits an identify call of this draft sends: written traits, the time zone, consent by channel. */
export function identifyTraits(item: Extract<ItemDraft, { kind: 'identify' }>): { value: Record<string, unknown>; errors: string[] } {
  const { value, errors } = recordFromRows(item.traits);
  if (item.timezone) value.timezone = item.timezone;
  if (Object.keys(item.consent).length) value.consent = { ...item.consent };
  return { value, errors };
}

/**
 * The story `previewJourney` plays, from the draft: the entry's wall-clock time read in the
 * customer's `zone`, rows read as their types, inputs in time order; or what to fix. Pure.
 */
export function toStory(draft: StoryDraft, { zone, audience }: { zone: string; audience: boolean }): { story: Story; errors: [] } | { story: null; errors: string[] } {
  const errors: string[] = [];
  const at = localToInstant(draft.entry.at, zone);
  if (at === null) errors.push('Entry: choose when the customer enters.');
  const entryProperties = recordFromRows(draft.entry.properties);
  errors.push(...entryProperties.errors.map((e) => `Entry: ${e}.`));
  const items: StoryItem[] = [];
  for (const item of sortItems(draft.items)) {
    if (item.kind === 'track') {
      if (!item.name.trim()) errors.push('An event has no name: name it or delete it.');
      const properties = recordFromRows(item.properties);
      errors.push(...properties.errors.map((e) => `${item.name.trim() || 'Event'}: ${e}.`));
      items.push({ kind: 'track', after: item.after, name: item.name.trim(), properties: properties.value, ...(item.delay?.amount ? { delay: item.delay } : {}) });
    } else if (item.kind === 'identify') {
      const traits = identifyTraits(item);
      errors.push(...traits.errors.map((e) => `Profile change: ${e}.`));
      items.push({ kind: 'identify', after: item.after, traits: traits.value });
    } else {
      if (!item.nodeId) errors.push('A message activity names no message: choose one or delete it.');
      items.push({ kind: 'engagement', after: item.after, nodeId: item.nodeId, activity: item.activity });
    }
  }
  if (errors.length || at === null) return { story: null, errors };
  const iso = new Date(at).toISOString();
  const entry: Story['entry'] = audience
    ? { kind: 'audience', at: iso }
    : {
        kind: 'event',
        at: iso,
        properties: entryProperties.value,
        ...(draft.entry.event.trim() ? { name: draft.entry.event.trim() } : {}),
        ...(draft.entry.delay?.amount ? { delay: draft.entry.delay } : {}),
      };
  return { story: { entry, items }, errors: [] };
}

const activityWords = { opened: 'Opens', clicked: 'Clicks', unsubscribed: 'Unsubscribes from', delivered: 'Receives' } as const;

/** A scripted input in a line: "Order Completed {total: 40}", "Profile change {plan: pro}", "Opens Welcome email". */
export function itemWords(item: ItemDraft, nameOf: (nodeId: string) => string): string {
  if (item.kind === 'track') return `${item.name || 'An event'}${withRecord(recordFromRows(item.properties).value)}`;
  if (item.kind === 'identify') return `Profile change${withRecord(identifyTraits(item).value)}`;
  return `${activityWords[item.activity]} ${item.nodeId ? nameOf(item.nodeId) : 'a message'}`;
}

const withRecord = (record: Record<string, unknown>) => {
  const words = recordWords(record);
  return words ? ` ${words}` : '';
};
