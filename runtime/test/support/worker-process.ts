import { createRuntime } from '../../src/runtime.ts';

/** A separate runtime process (workers only) for the crash tests: `node worker-process.ts <databaseUrl>`. */
const runtime = await createRuntime({ databaseUrl: process.argv[2]!, role: 'worker', pollingIntervalSeconds: 0.5 });
process.send?.('ready');
process.on('SIGTERM', async () => {
  await runtime.stop();
  process.exit(0);
});
