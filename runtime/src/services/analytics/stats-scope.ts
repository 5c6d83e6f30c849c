import { isValidTimeZone, type JourneyMachine, type StatsQuery, type StatsRange, type StatsSegment, zonedTimeToInstant } from '@waymark/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { journeyVersions, workspaces } from '../../db/schema.ts';
import { ApiError } from '../../http/api-error.ts';
import { dayIn } from '../execution/node-stats.ts';
import { getJourney } from '../journeys/journey-service.ts';
import { statsSegments } from './stats-segments.ts';

/** What a stats question covers: the journey, its versions (with their machines), the days and the instants they span. */
export interface StatsScope {
  journeyId: string;
  /** Null when every version is summed. */
  version: number | null;
  versions: number[];
  machines: Map<number, JourneyMachine>;
  range: StatsRange;
  /** The range as instants (start of `from`, start of the day after `to`) in the workspace's zone; null ends are open. */
  since: string | null;
  until: string | null;
  /** Only this segment's members now are counted (read from the steps); null: everyone, from the counters. */
  segment: StatsSegment | null;
}

/**
 * Resolves a stats query: `live` (default) is the live version, 409 before any publish; `all` every
 * published version; a number that version, 404 if there is none. Days are read in the workspace's
 * time zone, the same zone the counters are bucketed in. A `segment` must be one of the workspace's
 * (404 naming the field).
 */
export async function statsScope(db: Db, workspaceId: string, journeyId: string, query: StatsQuery): Promise<StatsScope> {
  const journey = await getJourney(db, workspaceId, journeyId);
  const [workspace] = await db
    .select({ zone: sql<string | null>`${workspaces.settings} ->> 'timeZone'` })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const zone = workspace?.zone && isValidTimeZone(workspace.zone) ? workspace.zone : 'UTC';
  const asked = query.version ?? 'live';
  let versions: number[];
  if (asked === 'all') {
    const rows = await db.select({ version: journeyVersions.version }).from(journeyVersions).where(eq(journeyVersions.journeyId, journey.id));
    versions = rows.map((r) => r.version).sort((a, b) => a - b);
  } else if (asked === 'live') {
    if (!journey.liveVersion) throw new ApiError(409, 'not-published', 'The journey has no published version yet, so it has no stats.', { field: 'version' });
    versions = [journey.liveVersion];
  } else versions = [Number(asked)];
  const rows = versions.length
    ? await db
        .select({ version: journeyVersions.version, machine: journeyVersions.machine })
        .from(journeyVersions)
        .where(and(eq(journeyVersions.journeyId, journey.id), inArray(journeyVersions.version, versions)))
    : [];
  if (asked !== 'all' && !rows.length) throw new ApiError(404, 'version-not-found', `Journey "${journey.id}" has no version ${asked}.`, { field: 'version' });
  const [segment] = query.segment ? await statsSegments(db, workspaceId, [query.segment], 'segment') : [];
  return {
    journeyId: journey.id,
    version: asked === 'all' ? null : versions[0]!,
    versions,
    machines: new Map(rows.map((r) => [r.version, r.machine as JourneyMachine])),
    range: { from: query.from ?? null, to: query.to ?? null, zone },
    since: query.from ? startOfDay(query.from, zone, 0) : null,
    until: query.to ? startOfDay(query.to, zone, 1) : null,
    segment: segment ?? null,
  };
}

/** The workspace's time zone (UTC when it has none or an unknown one). */
export async function workspaceZone(db: Db, workspaceId: string): Promise<string> {
  const [workspace] = await db
    .select({ zone: sql<string | null>`${workspaces.settings} ->> 'timeZone'` })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return workspace?.zone && isValidTimeZone(workspace.zone) ? workspace.zone : 'UTC';
}

/** `days` days ending with `to` (today in `zone` when absent), both ends included. */
export function daysUpTo(to: string | undefined, now: number, zone: string, days: number): { from: string; to: string } {
  const last = to ?? dayIn(now, zone);
  return { from: new Date(Date.parse(`${last}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10), to: last };
}

/** The instant a day (plus `add` days) starts in a zone. */
function startOfDay(day: string, zone: string, add: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, date + add));
  return new Date(zonedTimeToInstant({ year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate(), hour: 0, minute: 0 }, zone)).toISOString();
}

/** The scope's versions as an `int[]` parameter. */
export const versionsOf = (scope: StatsScope) => sql`${`{${scope.versions.join(',')}}`}::int[]`;

/** The `where` over node_stats rows of the scope's versions and days. */
export function statsRows(scope: StatsScope, alias = 'node_stats') {
  const t = sql.raw(alias);
  return sql.join(
    [
      sql`${t}.journey_id = ${scope.journeyId}`,
      sql`${t}.version = any(${versionsOf(scope)})`,
      ...(scope.range.from ? [sql`${t}.day >= ${scope.range.from}::date`] : []),
      ...(scope.range.to ? [sql`${t}.day <= ${scope.range.to}::date`] : []),
    ],
    sql` and `,
  );
}
