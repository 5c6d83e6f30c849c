/** When some batch last gave the event loop back: shared by every loop and worker of the process. */
let lastYield = performance.now();
/** Batches waiting to go on; one goes on per turn of the event loop, so I/O is served between them. */
const waiting: (() => void)[] = [];
let pumping = false;

function pump() {
  waiting.shift()?.();
  // An immediate scheduled from here runs on the next turn, after that turn's I/O.
  if (waiting.length) setImmediate(pump);
  else pumping = false;
}

/**
 * Gives the event loop back now and then during long synchronous work (the engine advancing a
 * thousand runs, each rendering templates): `yieldNow()` yields once `sliceMs` has passed since
 * the process last yielded. Batches running at once share one thread, so the time is counted
 * across them and they go on one per turn of the event loop: health checks, ingestion and other
 * workspaces' requests are answered between customers, not after whole batches.
 */
export function eventLoopShare(sliceMs = 10) {
  return async function yieldNow(): Promise<void> {
    if (performance.now() - lastYield < sliceMs) return;
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!pumping) {
        pumping = true;
        setImmediate(pump);
      }
    });
    lastYield = performance.now();
  };
}
