import { describe, expect, it } from 'vitest';
import { examples } from '@waymark/examples';
import { compileJourney, previewJourney, Story, type StoryInput } from '@waymark/shared';
import { createPreviewStore } from '../../src/editor/preview/preview-store.ts';

const welcome = compileJourney(examples.find((e) => e.id === 'welcome-series')!.document);
const play = (story: StoryInput) => previewJourney({ machine: welcome, customer: { id: 'ada', traits: {}, channels: { email: { address: 'ada@example.com' } } }, story: Story.parse(story) });
const entry = { kind: 'event', at: '2026-11-25T15:00:00Z' } as const;

describe('the preview store', () => {
  it('a new result keeps the cursor at the end, or on its row when the person moved it', () => {
    const store = createPreviewStore();
    const short = play({ entry, horizon: { amount: 1, unit: 'days' } });
    const long = play({ entry });
    store.getState().show(short);
    expect(store.getState().cursor).toBe(short.rows.length - 1);
    store.getState().show(long);
    expect(store.getState().cursor).toBe(long.rows.length - 1);
    store.getState().setCursor(2);
    store.getState().show(play({ entry, items: [{ kind: 'identify', after: { amount: 1, unit: 'days' }, traits: { plan: 'pro' } }] }));
    expect(store.getState().cursor).toBe(2);
    expect(store.getState().path.current).toBe('welcome-email');
    expect(store.getState().moves).toBe(1);
  });

  it('steps stay inside the rows; no result clears the path', () => {
    const store = createPreviewStore();
    store.getState().show(play({ entry }));
    store.getState().setCursor(0);
    store.getState().step(-1);
    expect(store.getState().cursor).toBe(0);
    expect(store.getState().path.visited.size).toBe(0);
    store.getState().setCursor(99);
    expect(store.getState().cursor).toBe(store.getState().result!.rows.length - 1);
    expect(store.getState().reached.has('nudge-sms')).toBe(true);
    expect(store.getState().reached.has('tips-push')).toBe(false);
    store.getState().show(null);
    expect(store.getState().path.current).toBeNull();
    expect(store.getState().reached.size).toBe(0);
  });
});
