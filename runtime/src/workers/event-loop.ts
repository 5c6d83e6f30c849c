import type { Clock } from '../clock.ts';
import { isTransientDatabaseError } from '../db/database-errors.ts';
import type { Db } from '../db/database.ts';
import { logErrorOnce } from '../log.ts';
import { isolateFailure } from '../services/dead-letters/isolate-failure.ts';
import { recordDeadLetter } from '../services/dead-letters/dead-letters.ts';
import { processEvents } from '../services/execution/process-events.ts';
import type { Outbox } from '../services/execution/persist-batch.ts';

/**
 * Processes stored events continuously, in `partitions` concurrent loops that each serve a share
 * of the customers (so one customer's events stay in order while the database and the engine
 * work in parallel): back to back while batches come back full, otherwise after a pause that grows
 * from `idleMs` to `maxIdleMs` while nothing comes, or as soon as `wake()` is called (ingestion in
 * the same process calls it after each commit). A batch that fails for a reason of its own is
 * split until the failing events are found; those are set aside as dead letters and the rest go on.
 */
export function startEventLoop(db: Db, outbox: Outbox, clock: Clock, { batchSize = 1_000, partitions = 4, idleMs = 100, maxIdleMs = 1_000 } = {}) {
  let stopped = false;
  const wakers = new Set<() => void>();
  const loop = async (index: number) => {
    let wakeUp: (() => void) | null = null;
    const wake = () => wakeUp?.();
    wakers.add(wake);
    const partition = { index, count: partitions };
    // Empty polls back off from idleMs to maxIdleMs; work, or a wake from ingestion, resets it.
    let pause = idleMs;
    while (!stopped) {
      let processed = 0;
      const claimed = { ids: [] as number[] };
      try {
        processed = await processEvents(db, outbox, clock, batchSize, partition, {
          onClaimed: (ids) => {
            claimed.ids = ids;
          },
        });
      } catch (error) {
        if (!stopped) processed = await recover(error, claimed.ids, partition);
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

  /** After a failed batch: a transient failure waits for the next pass; any other is isolated. Returns events handled. */
  async function recover(error: unknown, claimed: number[], partition: { index: number; count: number }): Promise<number> {
    if (isTransientDatabaseError(error) || !claimed.length) {
      logErrorOnce(`events:${partition.index}:transient`, error, 'an event batch failed and will be retried', { events: claimed.length });
      return 0;
    }
    try {
      await isolateFailure(
        claimed,
        (ids) => processEvents(db, outbox, clock, ids.length, partition, { ids }),
        async (eventId, cause, attempts) => {
          logErrorOnce(`events:dead:${(cause as Error)?.message}`, cause, 'an event failed on its own and was set aside', { eventId, attempts });
          await recordDeadLetter(db, { kind: 'event', ref: String(eventId), payload: { eventId }, error: cause, attempts });
        },
      );
      return claimed.length;
    } catch (again) {
      logErrorOnce(`events:${partition.index}:isolate`, again, 'isolating a failed event batch was interrupted; it will be retried');
      return 0;
    }
  }

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
