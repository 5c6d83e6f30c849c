import { isIPv6 } from 'node:net';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { signInThrottle } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';

/** Failures counted within this window; older ones are forgotten. */
const windowMs = 15 * 60_000;
/** Attempts allowed before the key is locked: per account (an email, known or not) and per client address. */
const allowed = { account: 5, address: 20 } as const;

export interface SignInAttempt {
  email: string;
  address: string;
}

/**
 * The throttle's keys: the account by its email, the client by its address — an IPv6 client by its
 * /64, since one host commonly holds a whole /64 and could otherwise take a new address per guess.
 */
function keysOf({ email, address }: SignInAttempt) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return { account: `account:${email.toLowerCase()}`, address: `address:${mapped ?? (isIPv6(address) ? `${ipv6Prefix64(address)}::/64` : address)}` };
}

/** The first four groups of an IPv6 address, `::` expanded. */
function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group || '0', 16).toString(16))
    .join(':');
}

const tooMany = (until: number, now: number) => {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new ApiError(429, 'too-many-attempts', `Too many wrong passwords; try again in ${seconds} s.`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
};

/**
 * Reserves one attempt against the account and the address before the password is checked, so
 * attempts sent in parallel cannot all slip in before the first failures are written: a locked
 * key is refused at once (429 with `Retry-After`), and the attempt that goes past a key's
 * allowance locks it — for 30 s, doubling with each further one up to 15 minutes. The same for
 * emails that have no account, so the answer does not tell which exist. A reserved attempt counts
 * as a failure unless `signInSucceeded` gives it back.
 */
export async function reserveSignInAttempt(db: Db, attempt: SignInAttempt, now: number): Promise<void> {
  const keys = keysOf(attempt);
  const locked = await db
    .select()
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, [keys.account, keys.address]));
  const until = Math.max(0, ...locked.map((row) => (row.lockedUntil ? Date.parse(row.lockedUntil) : 0)));
  if (until > now) throw tooMany(until, now);
  const at = new Date(now).toISOString();
  const windowStart = new Date(now - windowMs).toISOString();
  for (const kind of ['account', 'address'] as const) {
    const [row] = await db.execute<{ failures: number; locked_until: string | null }>(sql`
      insert into sign_in_throttle (key, failures, window_started_at) values (${keys[kind]}, 1, ${at})
      on conflict (key) do update set
        failures = case when sign_in_throttle.window_started_at < ${windowStart} then 1 else sign_in_throttle.failures + 1 end,
        window_started_at = case when sign_in_throttle.window_started_at < ${windowStart} then ${at}::timestamptz else sign_in_throttle.window_started_at end,
        locked_until = case when sign_in_throttle.window_started_at < ${windowStart} then null else sign_in_throttle.locked_until end
      returning failures, locked_until`);
    const over = row!.failures - allowed[kind];
    if (over > 0) {
      const lockUntil = now + Math.min(15 * 60_000, 30_000 * 2 ** (over - 1));
      await db
        .update(signInThrottle)
        .set({ lockedUntil: new Date(lockUntil).toISOString() })
        .where(inArray(signInThrottle.key, [keys[kind]]));
      throw tooMany(lockUntil, now);
    }
  }
}

/** A successful sign-in: the account's count is cleared and the address gets its reserved attempt back. */
export async function signInSucceeded(db: Db, attempt: SignInAttempt): Promise<void> {
  const keys = keysOf(attempt);
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [keys.account]));
  await db.execute(sql`update sign_in_throttle set failures = greatest(failures - 1, 0) where key = ${keys.address}`);
}
