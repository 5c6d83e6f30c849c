import type { Viewport } from '@xyflow/react';
import { fitMinZoom } from './card-detail.ts';
import type { Box } from './minimap-corner.ts';

/** How `fitViewport` fits: zoom limits, padding, room kept for the minimap, the point kept in view. */
export interface FitOptions {
  minZoom?: number;
  maxZoom?: number;
  /** Screen pixels kept clear around the journey. */
  padding?: number;
  /** Extra screen pixels kept clear on the right (room for the minimap). */
  reserveRight?: number;
  /** The point (flow coordinates) kept in view when the journey is too big to fit: its start. */
  anchor?: { x: number; y: number };
}

/**
 * The viewport that shows `bounds` (flow coordinates) in a pane, never below `minZoom` so text stays
 * readable. When the journey is too big at that zoom, its top is shown, centred on `anchor`.
 */
export function fitViewport(bounds: Box, paneWidth: number, paneHeight: number, options: FitOptions = {}): Viewport {
  const { minZoom = fitMinZoom, maxZoom = 1, padding = 40, reserveRight = 0, anchor } = options;
  const width = Math.max(1, paneWidth - 2 * padding - reserveRight);
  const height = Math.max(1, paneHeight - 2 * padding);
  const zoom = Math.min(maxZoom, Math.max(minZoom, Math.min(width / Math.max(1, bounds.width), height / Math.max(1, bounds.height))));
  const fitsAcross = bounds.width * zoom <= width;
  const fitsDown = bounds.height * zoom <= height;
  const centred = padding + width / 2 - (anchor?.x ?? bounds.x + bounds.width / 2) * zoom;
  // Too wide: centre the start, but leave no empty band beside the journey.
  const x = fitsAcross ? padding + (width - bounds.width * zoom) / 2 - bounds.x * zoom : Math.min(padding - bounds.x * zoom, Math.max(padding + width - (bounds.x + bounds.width) * zoom, centred));
  const y = fitsDown ? padding + (height - bounds.height * zoom) / 2 - bounds.y * zoom : padding - bounds.y * zoom;
  return { x, y, zoom };
}
