import { createWaymark, type Waymark } from './create-waymark.ts';

/*
 * The entry of `/sdk.js`: installs `window.Waymark` once (a second copy of the script keeps the
 * first), defaulting the host to where the script came from — read now, since `currentScript` is
 * gone once this run ends. `<script src=".../sdk.js" data-write-key="…">` initialises itself.
 */
const global = window as { Waymark?: Waymark };
if (!global.Waymark) {
  const script = document.currentScript;
  let origin = window.location.origin;
  try {
    if (script instanceof HTMLScriptElement && script.src) origin = new URL(script.src).origin;
  } catch {
    // An unparsable src cannot have loaded this script; keep the page's origin.
  }
  const waymark = createWaymark(origin);
  global.Waymark = waymark;
  const writeKey = script?.getAttribute('data-write-key');
  if (writeKey) waymark.init({ writeKey });
}
