import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freeLocalPort } from '../src/db/free-port.ts';

describe('embedded PostgreSQL start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-port-taken-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a port another program holds: it tries again, then says what PostgreSQL said instead of failing with nothing', async () => {
    const port = await freeLocalPort();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const started = startEmbeddedPostgres(dir, port);
      await expect(started).rejects.toThrow(`The embedded PostgreSQL on port ${port} stopped before accepting connections (3 attempts)`);
      await expect(started).rejects.toThrow(/Address already in use/);
    } finally {
      holder.close();
    }
  });

  it.skipIf(process.getuid?.() !== 0)('as root, a data folder inside one only its owner can enter: it says which folder and what to do, instead of a bare EACCES', async () => {
    const open = join(dir, 'open');
    const closed = join(open, 'closed');
    mkdirSync(closed, { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(open, 0o755);
    chmodSync(closed, 0o700);
    const started = startEmbeddedPostgres(join(closed, 'data'), await freeLocalPort());
    await expect(started).rejects.toThrow(`cannot enter ${closed} (only its owner can)`);
    await expect(started).rejects.toThrow(/not under \/root/);
  });
});
