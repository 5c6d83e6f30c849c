import { describe, expect, it } from 'vitest';
import { itemWords, type StoryDraft, sortItems, toStory } from '../../src/editor/preview/story-draft.ts';

const draft: StoryDraft = {
  entry: { at: '2026-11-25T10:00', event: '', properties: [{ key: 'source', type: 'text', value: 'ads' }], delay: null },
  items: [
    { id: 'b', kind: 'identify', after: { amount: 1, unit: 'days' }, traits: [{ key: 'plan', type: 'text', value: 'pro' }], consent: { sms: 'opted-in' }, timezone: 'Europe/Istanbul' },
    { id: 'a', kind: 'track', after: { amount: 2, unit: 'hours' }, name: 'Order Completed', properties: [{ key: 'total', type: 'number', value: '40' }], delay: { amount: 3, unit: 'hours' } },
    { id: 'c', kind: 'engagement', after: { amount: 120, unit: 'minutes' }, nodeId: 'welcome-email', activity: 'opened' },
  ],
};

describe('the story draft', () => {
  it('plays in time order, the script’s order among equal times', () => {
    expect(sortItems(draft.items).map((i) => i.id)).toEqual(['a', 'c', 'b']);
  });

  it('becomes the Story previewJourney plays: entry read in the customer’s zone, rows as their types, identify with zone and consent', () => {
    const { story, errors } = toStory(draft, { zone: 'America/New_York', audience: false });
    expect(errors).toEqual([]);
    expect(story).toEqual({
      entry: { kind: 'event', at: '2026-11-25T15:00:00.000Z', properties: { source: 'ads' } },
      items: [
        { kind: 'track', after: { amount: 2, unit: 'hours' }, name: 'Order Completed', properties: { total: 40 }, delay: { amount: 3, unit: 'hours' } },
        { kind: 'engagement', after: { amount: 120, unit: 'minutes' }, nodeId: 'welcome-email', activity: 'opened' },
        { kind: 'identify', after: { amount: 1, unit: 'days' }, traits: { plan: 'pro', timezone: 'Europe/Istanbul', consent: { sms: 'opted-in' } } },
      ],
    });
  });

  it('names another entry event, enters by audience, and says what to fix', () => {
    expect(toStory({ ...draft, entry: { ...draft.entry, event: 'Logged In' } }, { zone: 'UTC', audience: false }).story?.entry).toMatchObject({ kind: 'event', name: 'Logged In' });
    expect(toStory(draft, { zone: 'UTC', audience: true }).story?.entry).toEqual({ kind: 'audience', at: '2026-11-25T10:00:00.000Z' });
    const broken = toStory(
      {
        entry: { ...draft.entry, at: '' },
        items: [{ id: 'x', kind: 'track', after: { amount: 1, unit: 'hours' }, name: ' ', properties: [{ key: 'total', type: 'number', value: 'lots' }], delay: null }],
      },
      { zone: 'UTC', audience: false },
    );
    expect(broken).toEqual({ story: null, errors: ['Entry: choose when the customer enters.', 'An event has no name: name it or delete it.', 'Event: total: "lots" is not a number.'] });
  });

  it('writes each input in a line', () => {
    const nameOf = (id: string) => (id === 'welcome-email' ? 'Welcome email' : id);
    expect(draft.items.map((item) => itemWords(item, nameOf))).toEqual([
      'Profile change {plan: pro, timezone: Europe/Istanbul, consent: {"sms":"opted-in"}}',
      'Order Completed {total: 40}',
      'Opens Welcome email',
    ]);
  });
});
