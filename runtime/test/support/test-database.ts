import postgres from 'postgres';
import { inject } from 'vitest';

/** A fresh database for one test file; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const admin = inject('pgAdminUrl');
  const name = `test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

/** Polls `check` until it returns a truthy value (real time, bounded); for work done by workers. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, { timeoutMs = 20_000, everyMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
