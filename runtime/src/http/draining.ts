import { createMiddleware } from 'hono/factory';

/**
 * The app's part in a graceful shutdown: counts requests in flight, and once `drain()` is called
 * answers every new one 503 with `Retry-After` and `Connection: close` (clients retry elsewhere or
 * later) while those in flight finish. `idle()` resolves when none are left or the deadline passes.
 */
export function createDraining() {
  let draining = false;
  let inFlight = 0;
  const waiters = new Set<() => void>();
  const settle = () => {
    if (inFlight === 0) for (const wake of waiters) wake();
  };
  return {
    middleware: createMiddleware(async (c, next) => {
      if (draining) {
        c.header('connection', 'close');
        c.header('retry-after', '5');
        return c.json({ error: { code: 'shutting-down', message: 'Waymark is restarting; nothing of this request was applied. Send it again in a few seconds.' } }, 503);
      }
      inFlight++;
      try {
        await next();
      } finally {
        inFlight--;
        settle();
      }
    }),
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    drain() {
      draining = true;
    },
    /** Resolves true when no request is in flight, false if `deadlineMs` passed first. */
    idle(deadlineMs: number): Promise<boolean> {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(ok);
        };
        const wake = () => done(true);
        const timer = setTimeout(() => done(false), deadlineMs);
        waiters.add(wake);
      });
    },
  };
}

export type Draining = ReturnType<typeof createDraining>;
