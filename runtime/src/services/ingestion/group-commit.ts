/**
 * Group commit: requests that arrive while a transaction is being written wait and are written
 * together in the next one, so the commit rate does not cap throughput. Each caller's promise
 * settles only after the transaction holding its items committed (or failed, for all of them).
 */
export function createGroupCommit<T>(write: (items: T[]) => Promise<void>, maxItems = 20_000) {
  let waiting: { items: T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let writing = false;

  async function drain() {
    while (waiting.length) {
      const group: typeof waiting = [];
      let count = 0;
      while (waiting.length && (count === 0 || count + waiting[0]!.items.length <= maxItems)) {
        const next = waiting.shift()!;
        group.push(next);
        count += next.items.length;
      }
      try {
        await write(group.flatMap((g) => g.items));
        for (const g of group) g.resolve();
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    writing = false;
  }

  return {
    submit(items: T[]): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.push({ items, resolve, reject });
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
    },
  };
}
