import type { XYPosition } from '@xyflow/react';
import type { CanvasNode } from './journey-graph.ts';
import { nodeSize, rowGap } from './node-size.ts';

const overlaps = (a: XYPosition, b: XYPosition) => Math.abs(a.x - b.x) < nodeSize.width + 20 && Math.abs(a.y - b.y) < nodeSize.height + 20;

/** Where a node added after `source`'s handle number `index` (of `count`) goes: below it, branches side by side, clear of `others`. */
export function placeAfter(source: CanvasNode, index: number, count: number, others: CanvasNode[]): XYPosition {
  const position = { x: source.position.x + (index - (count - 1) / 2) * (nodeSize.width + 40), y: source.position.y + nodeSize.height + rowGap };
  while (others.some((n) => n.id !== source.id && overlaps(n.position, position))) position.y += nodeSize.height + rowGap / 2;
  return position;
}
