/** A row changed between reading and writing it (its revision moved on): doing the work again will see the change. */
export class ConcurrentUpdateError extends Error {}

/**
 * PostgreSQL's SQLSTATE of an error, looking through drizzle's wrapper (`cause`); undefined for
 * errors that did not come from the server (connection refused, timeouts, bugs).
 */
export function sqlStateOf(error: unknown): string | undefined {
  for (let at = error, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/**
 * Whether the work collided with a concurrent transaction (a row changed under it, a deadlock
 * 40P01, a serialization failure 40001): doing it again at once can succeed.
 */
export function isCollision(error: unknown): boolean {
  return error instanceof ConcurrentUpdateError || /^40(001|P01)$/.test(sqlStateOf(error) ?? '');
}

/**
 * Whether retrying the same work later can succeed: the database is unreachable or restarting
 * (08xxx, 57Pxx, 53xxx), or two transactions collided (`isCollision`).
 * Data errors (22xxx) and bugs are not transient: the same input fails the same way.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (isCollision(error)) return true;
  const state = sqlStateOf(error);
  if (state) return /^(08|53|57P)/.test(state);
  for (let at = error, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    if (connectionCodes.has(String((at as { code?: unknown }).code))) return true;
  }
  return false;
}

/** The constraint a unique or check violation names (looking through drizzle's wrapper), if any. */
export function violatedConstraint(error: unknown): string | undefined {
  for (let at = error, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const name = (at as { constraint_name?: unknown }).constraint_name;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/** Whether the database refused the data itself (22xxx: bad text, out-of-range values): the input's fault. */
export const isDataError = (error: unknown) => sqlStateOf(error)?.startsWith('22') ?? false;
