import { resolve } from 'node:path';
import { z } from 'zod';

const Role = z.enum(['api', 'worker', 'all']);

/** Every setting of the runtime, read once from the environment. */
export const Config = z.object({
  databaseUrl: z.url({ message: 'DATABASE_URL must be a postgres:// URL' }).optional(),
  dataDir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  role: Role,
  embeddedPort: z.coerce.number().int().min(1024).max(65_535),
  publicUrl: z.url({ protocol: /^https?$/, message: 'WAYMARK_PUBLIC_URL must be an http(s):// URL' }).optional(),
  secretKey: z.string().optional(),
  trustProxy: z.coerce.number().int().min(0).max(10),
  shutdownSeconds: z.coerce.number().min(0).max(600),
});
export type Config = z.infer<typeof Config>;

const names: Record<keyof Config, string> = {
  databaseUrl: 'DATABASE_URL',
  dataDir: 'WAYMARK_DATA_DIR',
  port: 'PORT',
  host: 'HOST',
  role: 'WAYMARK_ROLE',
  embeddedPort: 'WAYMARK_EMBEDDED_PG_PORT',
  publicUrl: 'WAYMARK_PUBLIC_URL',
  secretKey: 'WAYMARK_SECRET_KEY',
  trustProxy: 'WAYMARK_TRUST_PROXY',
  shutdownSeconds: 'WAYMARK_SHUTDOWN_SECONDS',
};

/** Reads the configuration; throws one sentence per bad setting, naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = Config.safeParse({
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(cwd, env.WAYMARK_DATA_DIR ?? '.data'),
    port: env.PORT ?? 3000,
    host: env.HOST ?? '127.0.0.1',
    role: env.WAYMARK_ROLE ?? 'all',
    embeddedPort: env.WAYMARK_EMBEDDED_PG_PORT ?? 54_329,
    publicUrl: env.WAYMARK_PUBLIC_URL || undefined,
    secretKey: env.WAYMARK_SECRET_KEY || undefined,
    trustProxy: env.WAYMARK_TRUST_PROXY === 'true' ? 1 : (env.WAYMARK_TRUST_PROXY ?? 0),
    shutdownSeconds: env.WAYMARK_SHUTDOWN_SECONDS ?? 20,
  });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path[0] as keyof Config;
    return `${names[key] ?? String(key)}: ${issue.message}`;
  });
  throw new Error(`Bad configuration. ${problems.join('. ')}.`);
}
