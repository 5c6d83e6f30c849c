import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../http/api-error.ts';

/** Today's scrypt cost: N = 2^17, r = 8, p = 1 (OWASP's recommendation; 128 MiB and about a fifth of a second per hash). */
const current = { N: 2 ** 17, r: 8, p: 1 } as const;
/** Hashes written before the cost was raised have no parameters in them: Node's defaults then. */
const legacy = { N: 2 ** 14, r: 8, p: 1 } as const;

/** At most this many hashes run at once (each holds 128 MiB and a thread of libuv's pool, which DNS and zlib share). */
const maxRunning = 2;
/** Beyond this many waiting, sign-ins are refused at once with 503 rather than queued. */
const maxWaiting = 64;

let running = 0;
const waiting: (() => void)[] = [];

/** How many scrypt derivations ran, and at which cost: the work a sign-in did, for tests that check unknown emails cost the same. */
export const derivations: { N: number }[] = [];

/** scrypt off the event loop, a bounded number at a time. */
async function derive(password: string, salt: Buffer, length: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  if (running >= maxRunning) {
    if (waiting.length >= maxWaiting) throw new ApiError(503, 'busy', 'Too many sign-ins at once; try again in a moment.', undefined, { 'retry-after': '2' });
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  derivations.push({ N: cost.N });
  if (derivations.length > 1_000) derivations.splice(0, 500);
  try {
    const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
    return await new Promise<Buffer>((resolve, reject) => scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** A password hash as `scrypt$N=…,r=…,p=…$salt$hash` (base64url), at today's cost. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, 32, current);
  return `scrypt$N=${current.N},r=${current.r},p=${current.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

function parse(stored: string) {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return null;
  if (parts.length === 3) return { cost: legacy, salt: parts[1]!, hash: parts[2]! };
  const cost = Object.fromEntries(
    parts[1]!
      .split(',')
      .map((kv) => kv.split('='))
      .map(([k, v]) => [k, Number(v)]),
  ) as { N: number; r: number; p: number };
  if (!(cost.N > 1 && cost.r > 0 && cost.p > 0) || parts.length !== 4) return null;
  return { cost, salt: parts[2]!, hash: parts[3]! };
}

/**
 * A stored hash at today's cost that no password matches: an unknown email is checked against
 * it, so it costs the same time as a known one and the answer does not tell which emails exist.
 */
export const unknownUserHash = `scrypt$N=${current.N},r=${current.r},p=${current.p}$${randomBytes(16).toString('base64url')}$${randomBytes(32).toString('base64url')}`;

/** Whether `password` matches `stored` (constant-time), and whether the hash should be redone at today's cost. */
export async function verifyPassword(password: string, stored: string): Promise<{ ok: boolean; outdated: boolean }> {
  const parsed = parse(stored) ?? parse(unknownUserHash)!;
  const expected = Buffer.from(parsed.hash, 'base64url');
  const actual = await derive(password, Buffer.from(parsed.salt, 'base64url'), expected.length, parsed.cost);
  const ok = parse(stored) !== null && timingSafeEqual(actual, expected);
  return { ok, outdated: parsed.cost.N < current.N || parsed.cost.r !== current.r || parsed.cost.p !== current.p };
}
