import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { workspaces } from '../../db/schema.ts';

/** What the workspace's data holds, for the builder's pickers and `reviewJourney`'s warnings. */
export interface WorkspaceCatalog {
  traits: string[];
  /** Trait name → share (0–1) of the recent profiles that have it (a null or empty value counts as missing). */
  traitCoverage: Record<string, number>;
  events: Record<string, { properties: string[] }>;
  /** The workspace's email topics (settings), offered by the send step's topic field. */
  topics: { id: string; name: string }[];
}

/**
 * Trait names with their coverage (from the 10,000 most recently updated profiles) and event names
 * with their property names (from the last 50,000 track events).
 */
export async function workspaceCatalog(db: Db, workspaceId: string): Promise<WorkspaceCatalog> {
  const traits = await db.execute<{ key: string; share: number }>(sql`
    with recent as (select traits from customers where workspace_id = ${workspaceId} order by updated_at desc limit 10000)
    select t.key, count(*)::float / greatest((select count(*) from recent), 1) as share
    from recent c, jsonb_each(c.traits) as t(key, value)
    where t.value <> 'null'::jsonb and t.value <> '""'::jsonb
    group by t.key order by t.key limit 500`);
  const events = await db.execute<{ name: string; keys: string[] | null }>(sql`
    select name, array_agg(distinct key) filter (where key is not null) as keys
    from (select name, properties from events where workspace_id = ${workspaceId} and type = 'track' order by id desc limit 50000) e
    left join lateral jsonb_object_keys(case when jsonb_typeof(e.properties) = 'object' then e.properties else '{}'::jsonb end) as key on true
    group by name order by name limit 500`);
  const [workspace] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return {
    topics: workspace?.settings.topics ?? [],
    traits: traits.map((t) => t.key),
    traitCoverage: Object.fromEntries(traits.map((t) => [t.key, Math.round(Number(t.share) * 1000) / 1000])),
    events: Object.fromEntries(events.filter((e) => e.name).map((e) => [e.name, { properties: (e.keys ?? []).sort() }])),
  };
}
