import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { sqlStateOf } from './db/database-errors.ts';

/**
 * The runtime's logger: JSON lines (pino) when the output is not a terminal, readable lines when
 * it is; the level from `LOG_LEVEL` (default `info`; tests run at `warn` unless they say otherwise).
 */
export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.LOG_LEVEL ?? (env.VITEST ? 'warn' : 'info');
  const options = { level, base: undefined, serializers: { err: describeError } };
  if (process.stdout.isTTY && env.LOG_FORMAT !== 'json') return pino(options, pretty({ sync: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }));
  return pino(options);
}

export const log: Logger = createLogger();

/**
 * What is safe to log of an error: its class, message and stack, and for database errors the
 * SQLSTATE and the statement's text — never its parameters (they hold emails, traits and message
 * content) and with quoted values in the server's message masked.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error).slice(0, 200) };
  const state = sqlStateOf(error);
  if (state) {
    const cause = (error as { cause?: { message?: string; routine?: string } }).cause;
    const serverMessage = (cause?.message ?? error.message).split('\n')[0]!;
    const query = (error as { query?: string }).query;
    return {
      type: 'DatabaseError',
      sqlState: state,
      message: serverMessage.startsWith('Failed query') ? 'query failed' : serverMessage.replace(/"[^"]*"/g, '"…"').slice(0, 300),
      ...(query ? { statement: query.replace(/\s+/g, ' ').slice(0, 200) } : {}),
    };
  }
  const described: Record<string, unknown> = { type: error.name, message: error.message.split('\n')[0]!.slice(0, 300), stack: error.stack?.split('\n').slice(1, 8).join('\n') };
  if (error.cause) described.cause = describeError(error.cause);
  return described;
}

/**
 * Logs an error at most once a minute per `key` (a poison item failing every second must not fill
 * the disk); the next line after a quiet spell says how many were left out.
 */
export function createErrorThrottle(logger: Logger = log, windowMs = 60_000) {
  const seen = new Map<string, { until: number; suppressed: number }>();
  return (key: string, error: unknown, message: string, fields: Record<string, unknown> = {}) => {
    const now = Date.now();
    const entry = seen.get(key);
    if (entry && entry.until > now) {
      entry.suppressed++;
      return;
    }
    if (seen.size > 1_000) seen.clear();
    seen.set(key, { until: now + windowMs, suppressed: 0 });
    logger.error({ ...fields, err: error, ...(entry?.suppressed ? { repeated: entry.suppressed } : {}) }, message);
  };
}

/** The runtime's shared throttle for errors of workers and handlers. */
export const logErrorOnce = createErrorThrottle();
