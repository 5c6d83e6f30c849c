/** The group commit's queue is full: the caller should answer 503 and let the client retry. */
export class QueueFullError extends Error {
  readonly waiting: number;
  constructor(waiting: number) {
    super(`${waiting} (bytes, or items) are waiting to be written`);
    this.waiting = waiting;
  }
}

type Waiter<T> = { items: T[]; weight: number; resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit: requests that arrive while a transaction is being written wait and are written
 * together in the next one, so the commit rate does not cap throughput. Each caller's promise
 * settles only after the transaction holding its items committed. When a group fails, it is split
 * in halves and written again until the failing request is alone, so one bad request fails only
 * itself. What waits is weighed (each submit says its weight: the bytes it holds, say); past
 * `maxWaiting` of weight `submit` throws `QueueFullError` at once, so memory stays bounded when the
 * database cannot keep up.
 */
export function createGroupCommit<T>(write: (items: T[]) => Promise<void>, { maxItems = 20_000, maxWaiting = 100_000 } = {}) {
  let waiting: Waiter<T>[] = [];
  let waitingWeight = 0;
  let writing = false;

  async function writeGroup(group: Waiter<T>[]): Promise<void> {
    try {
      await write(group.flatMap((g) => g.items));
      for (const g of group) g.resolve();
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      const half = Math.ceil(group.length / 2);
      await writeGroup(group.slice(0, half));
      await writeGroup(group.slice(half));
    }
  }

  async function drain() {
    while (waiting.length) {
      const group: Waiter<T>[] = [];
      let count = 0;
      while (waiting.length && (count === 0 || count + waiting[0]!.items.length <= maxItems)) {
        const next = waiting.shift()!;
        group.push(next);
        count += next.items.length;
      }
      waitingWeight -= group.reduce((sum, g) => sum + g.weight, 0);
      await writeGroup(group);
    }
    writing = false;
  }

  return {
    /** Resolves once `items` are committed; rejects with the write's error, or `QueueFullError` when too much waits. `weight` defaults to the number of items. */
    submit(items: T[], weight = items.length): Promise<void> {
      if (waitingWeight + weight > maxWaiting && waitingWeight > 0) return Promise.reject(new QueueFullError(waitingWeight));
      return new Promise((resolve, reject) => {
        waiting.push({ items, weight, resolve, reject });
        waitingWeight += weight;
        if (!writing) {
          writing = true;
          setImmediate(drain);
        }
      });
    },
    /** Waits for everything submitted so far (for shutdown). */
    async idle(): Promise<void> {
      while (writing || waiting.length) await new Promise((r) => setTimeout(r, 5));
    },
    clear() {
      waiting = [];
      waitingWeight = 0;
    },
  };
}
