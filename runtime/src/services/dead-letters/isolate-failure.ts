import { isTransientDatabaseError } from '../../db/database-errors.ts';

/** How often a lone item is tried before it is given up on, and the pause between tries. */
export interface IsolateOptions {
  attempts?: number;
  pauseMs?: number;
}

/**
 * After a batch failed: splits it in halves and runs each again, down to single items, so every
 * item that can succeed does. An item that still fails alone is tried `attempts` times in all,
 * then handed to `giveUp` with its last error. A transient error (the database away, a deadlock)
 * is not the items' fault: it is thrown, for the caller to retry the whole batch later.
 */
export async function isolateFailure<T>(
  items: T[],
  run: (subset: T[]) => Promise<unknown>,
  giveUp: (item: T, error: unknown, attempts: number) => Promise<void>,
  { attempts = 3, pauseMs = 200 }: IsolateOptions = {},
): Promise<void> {
  if (items.length > 1) {
    const half = Math.ceil(items.length / 2);
    for (const part of [items.slice(0, half), items.slice(half)]) {
      try {
        await run(part);
      } catch (error) {
        if (isTransientDatabaseError(error)) throw error;
        await isolateFailure(part, run, giveUp, { attempts, pauseMs });
      }
    }
    return;
  }
  const [item] = items;
  if (item === undefined) return;
  let lastError: unknown;
  // The lone item's first try failed as part of its batch; the tries here are its own.
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await run([item]);
      return;
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      lastError = error;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
    }
  }
  await giveUp(item, lastError, attempts);
}
