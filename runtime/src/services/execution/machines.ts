import { and, eq, inArray, sql } from 'drizzle-orm';
import { JourneyMachine } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { journeys, journeyVersions } from '../../db/schema.ts';

/** A published, immutable journey version; `paused` when its journey is paused (it enrolls nobody, and says so). */
export interface LiveVersion {
  journeyId: string;
  version: number;
  machine: JourneyMachine;
  paused?: boolean;
}

const byVersion = new Map<string, JourneyMachine>();
const key = (journeyId: string, version: number) => `${journeyId}@${version}`;

/** Machines of the given versions; versions never change, so they are parsed once per process. */
export async function loadMachines(db: Db | Tx, wanted: { journeyId: string; version: number }[]): Promise<Map<string, JourneyMachine>> {
  const missing = wanted.filter((w) => !byVersion.has(key(w.journeyId, w.version)));
  if (missing.length) {
    const rows = await db
      .select({ journeyId: journeyVersions.journeyId, version: journeyVersions.version, machine: journeyVersions.machine })
      .from(journeyVersions)
      .where(
        inArray(
          sql`(${journeyVersions.journeyId} || '@' || ${journeyVersions.version})`,
          missing.map((m) => key(m.journeyId, m.version)),
        ),
      );
    for (const row of rows) byVersion.set(key(row.journeyId, row.version), JourneyMachine.parse(row.machine));
  }
  return new Map(wanted.map((w) => [key(w.journeyId, w.version), byVersion.get(key(w.journeyId, w.version))!]));
}

export const machineKey = key;

/**
 * The published versions of a workspace's live and paused journeys, for enrollment: live ones
 * enroll, paused ones record that they refused (SPEC P1).
 */
export async function liveVersions(db: Db | Tx, workspaceId: string): Promise<LiveVersion[]> {
  const rows = await db
    .select({ journeyId: journeys.id, version: journeys.liveVersion, status: journeys.status })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), inArray(journeys.status, ['live', 'paused'])));
  const wanted = rows.filter((r) => r.version !== null).map((r) => ({ journeyId: r.journeyId, version: r.version!, paused: r.status === 'paused' }));
  const machines = await loadMachines(db, wanted);
  return wanted.map((w) => ({ ...w, machine: machines.get(key(w.journeyId, w.version))! }));
}

/**
 * Which of these journeys hold their runs' inputs now: paused ones, and resumed ones whose held
 * inputs are still being released — so a new input never overtakes an older held one.
 */
export async function pausedJourneys(db: Db | Tx, journeyIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(journeyIds)];
  if (!ids.length) return new Set();
  const rows = await db
    .select({ id: journeys.id })
    .from(journeys)
    .where(and(inArray(journeys.id, ids), sql`(${journeys.status} = 'paused' or exists (select 1 from held_inputs h where h.journey_id = ${journeys.id}))`));
  return new Set(rows.map((r) => r.id));
}
