import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freeLocalPort } from '../src/db/free-port.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** One ingestion call on its own connection; resolves with the status, or the socket error's code. */
function track(port: number, agent: Agent, writeKey: string, messageId: string): Promise<number | string> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ userId: `u-${messageId}`, event: 'Burst', messageId });
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/track',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'waymark-shutdown-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM during a burst of ingestion: every request gets 200 or 503 (none 500, none reset), every 200 is stored, then PostgreSQL stops last', async () => {
    const port = await freeLocalPort();
    let pgPort = await freeLocalPort();
    while (pgPort === port) pgPort = await freeLocalPort();
    child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        PORT: String(port),
        WAYMARK_DATA_DIR: dataDir,
        WAYMARK_EMBEDDED_PG_PORT: String(pgPort),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        WAYMARK_SHUTDOWN_SECONDS: '10',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => {
      output += d;
    });
    child.stderr!.on('data', (d) => {
      output += d;
    });
    const writeKey = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
      const check = () => {
        const key = /write key:\s+(wk_\S+)/.exec(output)?.[1];
        if (key && output.includes('Waymark is running')) {
          clearTimeout(timer);
          resolve(key);
        } else setTimeout(check, 100);
      };
      check();
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const outcomes: { id: string; result: number | string }[] = [];
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < 400; i++) {
      const id = `burst-${i}`;
      inFlight.push(track(port, agent, writeKey, id).then((result) => void outcomes.push({ id, result })));
      if (i === 150) child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 3));
    }
    await Promise.all(inFlight);
    agent.destroy();
    expect(await exited).toBe(0);

    const counts = Map.groupBy(outcomes, (o) => String(o.result));
    const summary = Object.fromEntries([...counts].map(([k, v]) => [k, v.length]));
    // After the process is gone a new connection is refused; what reached it was answered.
    for (const result of Object.keys(summary)) expect(['200', '503', 'ECONNREFUSED']).toContain(result);
    expect(summary['200']).toBeGreaterThan(100);
    expect(summary['503']).toBeGreaterThan(0);
    expect(output).toContain('shutting down');
    expect(output.indexOf('Waymark stopped')).toBeGreaterThan(output.indexOf('shutting down'));

    // Every 200 is in the database: start its PostgreSQL again and look.
    const pg = await startEmbeddedPostgres(dataDir, pgPort);
    try {
      const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
      const stored = new Set((await sql`select message_id from events where name = 'Burst'`).map((r) => r.message_id as string));
      await sql.end();
      const acknowledged = outcomes.filter((o) => o.result === 200).map((o) => o.id);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await pg.stop();
    }
  }, 180_000);
});
