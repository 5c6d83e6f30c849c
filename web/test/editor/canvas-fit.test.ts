import { describe, expect, it } from 'vitest';
import { cardDetail, fitMinZoom } from '../../src/editor/canvas/card-detail.ts';
import { fitViewport } from '../../src/editor/canvas/fit-viewport.ts';
import { minimapBox, minimapCorner, minimapRect } from '../../src/editor/canvas/minimap-corner.ts';

describe('fitting a journey in view', () => {
  it('a small journey is centred at up to 100%; text never needs to shrink below the compact card', () => {
    const small = fitViewport({ x: 0, y: 0, width: 240, height: 300 }, 800, 600);
    expect(small.zoom).toBe(1);
    expect(small.x).toBe((800 - 240) / 2);
    const big = fitViewport({ x: 0, y: 0, width: 3000, height: 5000 }, 800, 600, { anchor: { x: 1500, y: 0 } });
    expect(big.zoom).toBe(fitMinZoom);
    // Too big at the smallest zoom: its start is shown, at the top, centred on the anchor.
    expect(big.y).toBe(40);
    expect(big.x).toBe(40 + (800 - 80) / 2 - 1500 * fitMinZoom);
  });

  it('cards switch to compact, then icon only, before their text would be under 11 px', () => {
    expect([1, 0.85, 0.84, 0.5, 0.46, 0.45, 0.25].map(cardDetail)).toEqual(['full', 'full', 'compact', 'compact', 'compact', 'icon', 'icon']);
    expect(14 * 0.85).toBeGreaterThanOrEqual(11);
    expect(24 * 0.46).toBeGreaterThanOrEqual(11);
  });

  it('the minimap takes a corner with no node under it, keeps its corner while it stays free, and hides when none is', () => {
    const pane = { width: 900, height: 600 };
    const bottomRight = minimapRect('bottom-right', pane.width, pane.height);
    const onIt = { x: bottomRight.x + 10, y: bottomRight.y + 10, width: 50, height: 50 };
    expect(minimapCorner([], pane.width, pane.height)).toBe('bottom-right');
    expect(minimapCorner([onIt], pane.width, pane.height)).toBe('bottom-left');
    expect(minimapCorner([onIt], pane.width, pane.height, 'top-right')).toBe('top-right');
    const everywhere = { x: 0, y: 0, width: pane.width, height: pane.height };
    expect(minimapCorner([everywhere], pane.width, pane.height)).toBeNull();
    expect(minimapCorner([], minimapBox.width * 2, pane.height)).toBeNull();
  });
});
