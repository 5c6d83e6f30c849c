/** The group commit's queue is full: the caller should answer 503 and let the client retry. */
export class QueueFullError extends Error {
  readonly waiting: number;
  constructor(waiting: number) {
    super(`${waiting} (bytes, or items) are waiting to be written`);
    this.waiting = waiting;
  }
}

type Waiter<T> = { items: T[]; weight: number; resolve: () => void; reject: (error: unknown) => void };

export interface GroupCommitOptions {
  /** Most items in one group (one transaction). */
  maxItems?: number;
  /** Most weight (bytes, say) waiting; beyond it `submit` throws `QueueFullError`. */
  maxWaiting?: number;
  /** Groups written at the same time (each its own transaction). */
  concurrency?: number;
  /** Whether a failed write collided with a concurrent one, so the same group, written again, can succeed. */
  isConflict?: (error: unknown) => boolean;
  /** Times a colliding group is written again before it is split like any failed group. */
  conflictRetries?: number;
}

/**
 * Group commit: requests that arrive while transactions are being written wait and are written
 * together in the next one, so the commit rate does not cap throughput; up to `concurrency` groups
 * are written at once, so the database works on one while the next is handed over. Each caller's
 * promise settles only after the transaction holding its items committed. A group that collided
 * with a concurrent one (`isConflict`) is written again as it is; a group that fails otherwise is
 * split in halves and written again until the failing request is alone, so one bad request fails
 * only itself. What waits is weighed (each submit says its weight: the bytes it holds, say); past
 * `maxWaiting` of weight `submit` throws `QueueFullError` at once, so memory stays bounded when the
 * database cannot keep up.
 */
export function createGroupCommit<T>(write: (items: T[]) => Promise<void>, options: GroupCommitOptions = {}) {
  const { maxItems = 20_000, maxWaiting = 100_000, concurrency = 1, isConflict = () => false, conflictRetries = 5 } = options;
  let waiting: Waiter<T>[] = [];
  let waitingWeight = 0;
  let active = 0;
  let scheduled = false;

  async function writeGroup(group: Waiter<T>[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write(group.flatMap((g) => g.items));
        for (const g of group) g.resolve();
        return;
      } catch (error) {
        if (isConflict(error) && attempt < conflictRetries) continue;
        if (group.length === 1) return group[0]!.reject(error);
        const half = Math.ceil(group.length / 2);
        await writeGroup(group.slice(0, half));
        await writeGroup(group.slice(half));
        return;
      }
    }
  }

  /** The next group: waiting requests in order, up to `maxItems` (a larger request alone). */
  function take(): Waiter<T>[] {
    const group: Waiter<T>[] = [];
    let count = 0;
    while (waiting.length && (count === 0 || count + waiting[0]!.items.length <= maxItems)) {
      const next = waiting.shift()!;
      group.push(next);
      count += next.items.length;
    }
    waitingWeight -= group.reduce((sum, g) => sum + g.weight, 0);
    return group;
  }

  function pump() {
    scheduled = false;
    while (waiting.length && active < concurrency) {
      const group = take();
      active++;
      void writeGroup(group).finally(() => {
        active--;
        pump();
      });
    }
  }

  return {
    /** Resolves once `items` are committed; rejects with the write's error, or `QueueFullError` when too much waits. `weight` defaults to the number of items. */
    submit(items: T[], weight = items.length): Promise<void> {
      if (waitingWeight + weight > maxWaiting && waitingWeight > 0) return Promise.reject(new QueueFullError(waitingWeight));
      return new Promise((resolve, reject) => {
        waiting.push({ items, weight, resolve, reject });
        waitingWeight += weight;
        // On the next turn, so requests arriving together go in one group.
        if (active < concurrency && !scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
    /** Waits for everything submitted so far (for shutdown). */
    async idle(): Promise<void> {
      while (active || waiting.length) await new Promise((r) => setTimeout(r, 5));
    },
    clear() {
      waiting = [];
      waitingWeight = 0;
    },
  };
}
