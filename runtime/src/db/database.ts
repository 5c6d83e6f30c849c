import { fileURLToPath } from 'node:url';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction or the database: what services write through. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The oldest PostgreSQL Waymark runs on (`server_version_num`): membership upkeep counts from `returning old`, new in 18. */
const oldestServer = 180_000;

/** Refuses a server older than Waymark needs, saying which it found. */
export function checkServerVersion(versionNum: number, version: string): void {
  if (versionNum < oldestServer) throw new Error(`Waymark needs PostgreSQL 18 or later; the server at DATABASE_URL runs PostgreSQL ${version}`);
}

/** Connects to PostgreSQL (18 or later) and applies the committed migrations. */
export async function openDatabase(url: string, { max = 20 } = {}): Promise<Database> {
  const sql = postgres(url, { max, onnotice: () => {} });
  try {
    const [server] = await sql<{ num: number; version: string }[]>`select current_setting('server_version_num')::int as num, current_setting('server_version') as version`;
    checkServerVersion(server!.num, server!.version);
  } catch (error) {
    await sql.end({ timeout: 5 });
    throw error;
  }
  const db = drizzle(sql, { schema });
  await migrate(db, { migrationsFolder });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
