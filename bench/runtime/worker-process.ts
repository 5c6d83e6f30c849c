import { createRuntime, type Runtime } from '@waymark/runtime';

/**
 * One Waymark worker process for the scale-out benchmark (`WAYMARK_ROLE=worker` without the
 * HTTP listener): argv[2] is the database URL. Says `loaded` on IPC once its modules are in, starts
 * the workers on `go` and says `ready`, and on `stop` (or when the parent goes away) stops them
 * cleanly, says `stopped` and exits.
 */
const databaseUrl = process.argv[2]!;
const send = (message: object) => process.connected && process.send?.(message);
let runtime: Runtime | null = null;
let stopping: Promise<void> | null = null;

const stop = () => {
  stopping ??= (async () => {
    await runtime?.stop();
    const cpu = process.cpuUsage();
    // Exits only once the message is out, so the parent has it before the exit.
    if (process.connected) await new Promise((resolve) => process.send!({ stopped: true, pid: process.pid, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, resolve));
    process.exit(0);
  })().catch((error) => {
    process.stderr.write(`worker ${process.pid}: stopping failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
  return stopping;
};

process.on('message', async (message) => {
  if (message === 'go' && !runtime) {
    runtime = await createRuntime({ databaseUrl, role: 'worker' });
    const cpu = process.cpuUsage();
    send({ ready: true, pid: process.pid, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
  if (message === 'stop') await stop();
});
process.on('disconnect', () => void stop());
send({ loaded: true, pid: process.pid });
