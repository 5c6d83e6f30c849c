import type { Channel, CustomerProfile, PreviewProfile } from '@waymark/shared';
import type { StoryDraft } from './story-draft.ts';
import { instantToLocal } from './zoned-format.ts';

/** Where the preview's customer came from: written here, a saved test customer, or a real customer's profile. */
export type CustomerSource = 'written' | 'test' | 'real';

export interface CustomerDraft {
  source: CustomerSource;
  /** The saved test customer's or the real customer's id. */
  id: string | null;
  name: string;
  profile: PreviewProfile;
}

/** What the person changed of the context the runtime would read: sends today, a paused journey. */
export interface ContextOverrides {
  sentToday?: Partial<Record<Channel, number>>;
  paused?: boolean;
}

/** Everything the preview panel keeps per journey (in localStorage), so a reload finds it as it was. */
export interface PreviewDraft {
  customer: CustomerDraft;
  story: StoryDraft;
  overrides: ContextOverrides;
}

/** A customer to start from: subscribed to email, in the journey's zone. */
export function sampleCustomer(zone: string): CustomerDraft {
  return {
    source: 'written',
    id: null,
    name: 'Ada (test)',
    profile: { traits: { first_name: 'Ada', plan: 'free', timezone: zone }, channels: { email: { address: 'ada@example.com', consent: 'subscribed' } } },
  };
}

/** A first draft: the sample customer enters today at 10:00 in their zone, and does nothing else yet. */
export function initialDraft(zone: string, now = Date.now()): PreviewDraft {
  return { customer: sampleCustomer(zone), story: { entry: { at: `${instantToLocal(now, zone).slice(0, 10)}T10:00`, event: '', properties: [], delay: null }, items: [] }, overrides: {} };
}

/** The engine's profile of the draft customer. */
export function previewProfile(customer: CustomerDraft): CustomerProfile {
  const { preferredChannel, ...rest } = customer.profile;
  return { id: customer.source === 'real' && customer.id ? customer.id : 'preview-customer', ...rest, ...(preferredChannel ? { preferredChannel } : {}) };
}

const storageKey = (journeyId: string) => `waymark.preview.${journeyId}`;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The draft kept for this journey, or a first one; anything unreadable in storage starts afresh. */
export function loadDraft(journeyId: string, zone: string): PreviewDraft {
  const fresh = initialDraft(zone);
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey(journeyId)) ?? 'null') as unknown;
    if (!isObject(stored) || !isObject(stored.customer) || !isObject(stored.story) || !isObject((stored.story as Record<string, unknown>).entry)) return fresh;
    const story = stored.story as unknown as StoryDraft;
    return {
      customer: { ...fresh.customer, ...(stored.customer as Partial<CustomerDraft>) },
      story: { entry: { ...fresh.story.entry, ...story.entry }, items: Array.isArray(story.items) ? story.items : [] },
      overrides: isObject(stored.overrides) ? (stored.overrides as ContextOverrides) : {},
    };
  } catch {
    return fresh;
  }
}

/** Keeps the draft for the next visit; a full or blocked storage only loses that. */
export function saveDraft(journeyId: string, draft: PreviewDraft) {
  try {
    localStorage.setItem(storageKey(journeyId), JSON.stringify(draft));
  } catch {
    // Private mode or a full quota: the preview still works, it is just not kept.
  }
}
