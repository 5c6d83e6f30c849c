import { and, eq, inArray, sql } from 'drizzle-orm';
import { JourneyMachine } from '@waymark/shared';
import type { Db, Tx } from '../../db/database.ts';
import { journeys, journeyVersions } from '../../db/schema.ts';

/** A published, immutable journey version. */
export interface LiveVersion {
  journeyId: string;
  version: number;
  machine: JourneyMachine;
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

/** The live versions of a workspace's journeys (status `live`), for enrollment. */
export async function liveVersions(db: Db | Tx, workspaceId: string): Promise<LiveVersion[]> {
  const rows = await db
    .select({ journeyId: journeys.id, version: journeys.liveVersion })
    .from(journeys)
    .where(and(eq(journeys.workspaceId, workspaceId), eq(journeys.status, 'live')));
  const wanted = rows.filter((r) => r.version !== null).map((r) => ({ journeyId: r.journeyId, version: r.version! }));
  const machines = await loadMachines(db, wanted);
  return wanted.map((w) => ({ ...w, machine: machines.get(key(w.journeyId, w.version))! }));
}
