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
  publicUrl: z.string().optional(),
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
    publicUrl: env.WAYMARK_PUBLIC_URL,
  });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path[0] as keyof Config;
    return `${names[key] ?? String(key)}: ${issue.message}`;
  });
  throw new Error(`Bad configuration. ${problems.join('. ')}.`);
}
