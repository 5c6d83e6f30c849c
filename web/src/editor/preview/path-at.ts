import type { PreviewRow } from '@waymark/shared';

/** The run's path up to one row of the timeline: steps passed, branches taken (`source:handle`), and the step it is at. */
export interface PathAt {
  visited: ReadonlySet<string>;
  taken: ReadonlySet<string>;
  current: string | null;
}

/** The node a row is about, or for inputs and goals the step the run was at when it came. Pure. */
export function nodeAt(rows: readonly PreviewRow[], index: number): string | null {
  for (let i = Math.min(index, rows.length - 1); i >= 0; i--) {
    const row = rows[i]!;
    if (row.kind === 'step' || row.kind === 'pending') return row.nodeId;
    if (row.kind === 'exit' && row.nodeId) return row.nodeId;
    if (row.kind === 'input' && row.item.kind === 'engagement' && i === index) return row.item.nodeId;
  }
  return null;
}

/** The path the run took up to and including row `cursor` (all of it when `cursor` is past the end). Pure. */
export function pathAt(rows: readonly PreviewRow[], cursor: number): PathAt {
  const visited = new Set<string>();
  const taken = new Set<string>();
  const last = Math.min(cursor, rows.length - 1);
  for (let i = 0; i <= last; i++) {
    const row = rows[i]!;
    if (row.kind !== 'step') continue;
    visited.add(row.nodeId);
    if (row.handle) taken.add(`${row.nodeId}:${row.handle}`);
  }
  return { visited, taken, current: last >= 0 ? nodeAt(rows, last) : null };
}

/** The first row about a node, for "selecting a node scrolls the timeline to it"; -1 when none is. */
export function firstRowOf(rows: readonly PreviewRow[], nodeId: string): number {
  return rows.findIndex((row) => (row.kind === 'step' || row.kind === 'pending' ? row.nodeId === nodeId : row.kind === 'input' && row.item.kind === 'engagement' && row.item.nodeId === nodeId));
}
