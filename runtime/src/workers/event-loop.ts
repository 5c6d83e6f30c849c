import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { processEvents } from '../services/execution/process-events.ts';

/**
 * Processes stored events continuously: back to back while batches come back full, otherwise
 * every `idleMs` or as soon as `wake()` is called (ingestion calls it after each commit).
 */
export function startEventLoop(db: Db, boss: PgBoss, clock: Clock, { batchSize = 500, idleMs = 200, onError = (e: unknown) => console.error(e) } = {}) {
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let running: Promise<void> = Promise.resolve();
  const loop = async () => {
    while (!stopped) {
      let processed = 0;
      try {
        processed = await processEvents(db, boss, clock, batchSize);
      } catch (error) {
        if (!stopped) onError(error);
      }
      if (processed >= batchSize || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  };
  running = loop();
  return {
    wake: () => wakeUp?.(),
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}
