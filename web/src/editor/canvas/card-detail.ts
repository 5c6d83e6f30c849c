/** How much a card shows at a zoom: all of it, icon and name in large type, or only the icon. */
export type CardDetail = 'full' | 'compact' | 'icon';

/** Below this zoom the card's 13 px text would be under 11 px on screen, so it switches to the compact card. */
export const fullDetailZoom = 0.85;
/** Below this zoom even the compact card's 24 px name would be under 11 px, so only the icon shows. */
export const compactDetailZoom = 0.46;
/** Fit-to-view never zooms out further than this: compact cards stay readable (24 px × 0.5 = 12 px). */
export const fitMinZoom = 0.5;

/** The detail a card shows at `zoom`. */
export function cardDetail(zoom: number): CardDetail {
  return zoom >= fullDetailZoom ? 'full' : zoom >= compactDetailZoom ? 'compact' : 'icon';
}
