import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { signInThrottle } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';

/** Failures counted within this window; older ones are forgotten. */
const windowMs = 15 * 60_000;
/** Failures allowed before the key is locked: per account (an email, known or not) and per client address. */
const allowed = { account: 5, address: 20 } as const;

export interface SignInAttempt {
  email: string;
  address: string;
}

const keysOf = ({ email, address }: SignInAttempt) => ({ account: `account:${email.toLowerCase()}`, address: `address:${address}` });

/**
 * Refuses a sign-in while its account or its address is locked: 429 with `Retry-After` in
 * seconds. The same for emails that have no account, so the answer does not tell which exist.
 */
export async function checkSignInAllowed(db: Db, attempt: SignInAttempt, now: number): Promise<void> {
  const keys = keysOf(attempt);
  const rows = await db
    .select()
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, [keys.account, keys.address]));
  const until = Math.max(0, ...rows.map((row) => (row.lockedUntil ? Date.parse(row.lockedUntil) : 0)));
  if (until > now) {
    const seconds = Math.ceil((until - now) / 1000);
    throw new ApiError(429, 'too-many-attempts', `Too many wrong passwords; try again in ${seconds} s.`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
  }
}

/** Counts a failed sign-in against the account and the address; past its allowance a key is locked for 30 s, doubling with each further failure up to 15 minutes. */
export async function recordSignInFailure(db: Db, attempt: SignInAttempt, now: number): Promise<void> {
  const keys = keysOf(attempt);
  const at = new Date(now).toISOString();
  const windowStart = new Date(now - windowMs).toISOString();
  for (const [kind, key] of Object.entries(keys) as ['account' | 'address', string][]) {
    await db.execute(sql`
      insert into sign_in_throttle (key, failures, window_started_at) values (${key}, 1, ${at})
      on conflict (key) do update set
        failures = case when sign_in_throttle.window_started_at < ${windowStart} then 1 else sign_in_throttle.failures + 1 end,
        window_started_at = case when sign_in_throttle.window_started_at < ${windowStart} then ${at}::timestamptz else sign_in_throttle.window_started_at end`);
    await db.execute(sql`
      update sign_in_throttle set locked_until = ${at}::timestamptz + (least(${15 * 60_000}, ${30_000} * power(2, failures - ${allowed[kind]})) * interval '1 millisecond')
      where key = ${key} and failures >= ${allowed[kind]}`);
  }
}

/** A successful sign-in clears the account's failures (the address keeps its count). */
export async function clearSignInFailures(db: Db, attempt: SignInAttempt): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [keysOf(attempt).account]));
}
