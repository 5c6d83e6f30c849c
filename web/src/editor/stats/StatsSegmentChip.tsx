import { Users, X } from 'lucide-react';
import { usePreview } from '../preview/preview-context.ts';
import type { PreviewSnapshot } from '../preview/preview-store.ts';
import { customersNowIn } from './segment-words.ts';
import { useStats, useStatsStore } from './stats-context.ts';
import { formatCount } from './stats-format.ts';
import { withSegment } from './stats-filter.ts';
import type { StatsSnapshot } from './stats-store.ts';

const selectChip = (s: StatsSnapshot) => ({ enabled: s.enabled, filter: s.filter, counted: s.stats?.segment });
const previewOpen = (s: PreviewSnapshot) => s.active;

/**
 * Above the canvas while its numbers count a segment's customers only: says whose numbers they
 * are ("Customers now in Pro buyers") and goes back to all customers in one click.
 */
export function StatsSegmentChip() {
  const { enabled, filter, counted } = useStats(selectChip);
  const previewing = usePreview(previewOpen);
  const store = useStatsStore();
  if (!enabled || !filter.segment || previewing) return null;
  const segment = counted?.id === filter.segment ? counted : null;
  return (
    <span className="wm-stats-chip" role="status" data-testid="stats-segment-chip" title={segment ? `${formatCount(segment.members)} customers are in ${segment.name} now` : undefined}>
      <Users aria-hidden size={16} />
      <span className="wm-stats-chip-label">{segment ? customersNowIn(segment) : 'Counting a segment…'}</span>
      <button type="button" className="wm-icon-button" aria-label="Show all customers" title="Count all customers again" onClick={() => store.getState().setFilter(withSegment(filter, undefined))}>
        <X aria-hidden size={14} />
      </button>
    </span>
  );
}
