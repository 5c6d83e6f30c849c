import type { PreviewResult } from '@waymark/shared';
import { createStore } from 'zustand/vanilla';
import { type PathAt, pathAt } from './path-at.ts';

export interface PreviewState {
  /** Whether the Preview tab is open: the canvas shows the path only then. */
  active: boolean;
  result: PreviewResult | null;
  /** The timeline row the scrubber is on; the canvas shows the path up to it. */
  cursor: number;
  /** The path up to the cursor. */
  path: PathAt;
  /** Counts moves of the cursor by the person (not by a new result): the timeline scrolls its row into view on each. */
  moves: number;
  /** Steps and branches the whole run reaches; the others are dimmed. */
  reached: ReadonlySet<string>;
  reachedBranches: ReadonlySet<string>;
}

export interface PreviewActions {
  setActive(active: boolean): void;
  /** Shows a result; a cursor at the end stays at the end, another stays on its row where it can. */
  show(result: PreviewResult | null): void;
  /** Moves the cursor to a row, as the person asked (the scrubber, a row, a step on the canvas). */
  setCursor(index: number): void;
  /** Moves the cursor one row back (-1) or forward (1). */
  step(by: 1 | -1): void;
}

export type PreviewStore = ReturnType<typeof createPreviewStore>;
export type PreviewSnapshot = PreviewState & PreviewActions;

const none: PathAt = { visited: new Set(), taken: new Set(), current: null };

/** One per open editor (provided by context): the preview's result and where the scrubber is, which the canvas draws. */
export function createPreviewStore() {
  return createStore<PreviewSnapshot>()((set, get) => ({
    active: false,
    result: null,
    cursor: 0,
    path: none,
    moves: 0,
    reached: new Set(),
    reachedBranches: new Set(),
    setActive(active) {
      set({ active });
    },
    show(result) {
      if (!result) return set({ result: null, cursor: 0, path: none, reached: new Set(), reachedBranches: new Set() });
      const { result: before, cursor: was } = get();
      const atEnd = !before || was >= before.rows.length - 1;
      const cursor = atEnd ? result.rows.length - 1 : Math.min(was, result.rows.length - 1);
      set({ result, cursor, path: pathAt(result.rows, cursor), reached: new Set(result.visited), reachedBranches: new Set(result.taken) });
    },
    setCursor(index) {
      const rows = get().result?.rows ?? [];
      const cursor = Math.max(0, Math.min(index, rows.length - 1));
      set({ cursor, path: pathAt(rows, cursor), moves: get().moves + 1 });
    },
    step(by) {
      get().setCursor(get().cursor + by);
    },
  }));
}
