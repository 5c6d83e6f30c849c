/**
 * Gives the event loop back now and then during long synchronous work (the engine advancing a
 * thousand runs, each rendering templates): `share()` yields once `sliceMs` of work has passed
 * since the last yield, so health checks, ingestion and other workspaces' requests are answered
 * between customers rather than after the whole batch.
 */
export function eventLoopShare(sliceMs = 15) {
  let since = performance.now();
  return async function share(): Promise<void> {
    if (performance.now() - since < sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
