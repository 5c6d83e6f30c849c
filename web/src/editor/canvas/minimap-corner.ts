/** A rectangle on screen, relative to the canvas pane. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A corner of the canvas pane, as React Flow names panel positions. */
export type Corner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

/** The minimap's size and its distance from the pane's edges (React Flow panels sit 15 px in). */
export const minimapBox = { width: 180, height: 120, margin: 15 } as const;

const corners: Corner[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];

/** Where the minimap sits in `corner` of a pane of this size, with a few pixels of clearance around it. */
export function minimapRect(corner: Corner, paneWidth: number, paneHeight: number, clearance = 8): Box {
  const { width, height, margin } = minimapBox;
  const x = corner.endsWith('right') ? paneWidth - margin - width : margin;
  const y = corner.startsWith('bottom') ? paneHeight - margin - height : margin;
  return { x: x - clearance, y: y - clearance, width: width + 2 * clearance, height: height + 2 * clearance };
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * The first corner, `preferred` first, where the minimap covers none of `nodes` (screen boxes);
 * null when every corner is taken, and the minimap then stays hidden rather than cover a step.
 */
export function minimapCorner(nodes: Box[], paneWidth: number, paneHeight: number, preferred: Corner = 'bottom-right'): Corner | null {
  if (paneWidth < minimapBox.width * 2.5 || paneHeight < minimapBox.height * 2) return null;
  for (const corner of [preferred, ...corners.filter((c) => c !== preferred)]) {
    const map = minimapRect(corner, paneWidth, paneHeight);
    if (!nodes.some((n) => overlap(n, map))) return corner;
  }
  return null;
}
