import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { processEvents } from '../services/execution/process-events.ts';

/**
 * Processes stored events continuously, in `partitions` concurrent loops that each serve a share
 * of the customers (so one customer's events stay in order while the database and the engine
 * work in parallel): back to back while batches come back full, otherwise after a pause that grows
 * from `idleMs` to `maxIdleMs` while nothing comes, or as soon as `wake()` is called (ingestion in
 * the same process calls it after each commit).
 */
export function startEventLoop(db: Db, boss: PgBoss, clock: Clock, { batchSize = 1_000, partitions = 4, idleMs = 100, maxIdleMs = 1_000, onError = (e: unknown) => console.error(e) } = {}) {
  let stopped = false;
  const wakers = new Set<() => void>();
  const loop = async (index: number) => {
    let wakeUp: (() => void) | null = null;
    const wake = () => wakeUp?.();
    wakers.add(wake);
    // Empty polls back off from idleMs to maxIdleMs; work, or a wake from ingestion, resets it.
    let pause = idleMs;
    while (!stopped) {
      let processed = 0;
      try {
        processed = await processEvents(db, boss, clock, batchSize, { index, count: partitions });
      } catch (error) {
        if (!stopped) onError(error);
      }
      if (processed >= batchSize || stopped) continue;
      pause = processed > 0 ? idleMs : Math.min(maxIdleMs, pause * 2);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wakeUp = () => {
          clearTimeout(timer);
          pause = idleMs;
          resolve();
        };
      });
      wakeUp = null;
    }
    wakers.delete(wake);
  };
  const running = Promise.all(Array.from({ length: partitions }, (_, i) => loop(i)));
  const wakeAll = () => {
    for (const wake of wakers) wake();
  };
  return {
    wake: wakeAll,
    async stop() {
      stopped = true;
      wakeAll();
      await running;
    },
  };
}
