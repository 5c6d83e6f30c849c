import type { SegmentSummary, StatsSegment } from '@waymark/shared';
import { api } from '../../api/client.ts';

/** The workspace's segments as the stats filter offers them (by name, with their members now). */
export async function loadSegmentOptions(workspaceId: string): Promise<StatsSegment[]> {
  const segments = await api<SegmentSummary[]>('GET', `/api/workspaces/${workspaceId}/segments`);
  return segments.map((s) => ({ id: s.id, name: s.name, members: s.members, building: s.status === 'building' }));
}
