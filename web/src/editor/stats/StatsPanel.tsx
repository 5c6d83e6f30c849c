import type { NodeType } from '@waymark/shared';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { nodeName } from '../nodes/node-name.ts';
import { JourneyTotals } from './JourneyTotals.tsx';
import { NodeStatsDetail } from './NodeStatsDetail.tsx';
import { StatsFilters } from './StatsFilters.tsx';
import { withSegment } from './stats-filter.ts';
import { useStats, useStatsStore } from './stats-context.ts';
import type { StatsSnapshot } from './stats-store.ts';

const selectPanel = (s: StatsSnapshot) => ({ filter: s.filter, zone: s.zone, stats: s.stats, error: s.error, enabled: s.enabled, segments: s.segments });

/**
 * The Stats tab: the filter (version, days in the workspace's zone, all customers or a segment's),
 * then the selected step's numbers, or the whole journey's when no step is selected.
 */
export function StatsPanel({ node }: { node: { id: string; type: string; data: Record<string, unknown> } | null }) {
  const store = useStatsStore();
  const { filter, zone, stats, error, enabled, segments } = useStats(selectPanel);
  const state = store.getState();
  return (
    <div className="wm-stats" data-testid="stats-panel">
      <StatsFilters filter={filter} versions={stats?.versions ?? []} zone={zone} segments={segments} counted={stats?.segment} onChange={(next) => state.setFilter(next)} />
      <label className="wm-stats-toggle-row">
        <input type="checkbox" checked={enabled} onChange={(e) => state.setEnabled(e.target.checked)} /> Show the numbers on the canvas
      </label>
      {error === 'not-published' ? (
        <p className="wm-stats-empty">This journey has not been published yet, so nobody has gone through it. Publish it to see how many customers enter each step, wait, convert and leave.</p>
      ) : error === 'segment-not-found' ? (
        <p role="alert" className="wm-error">
          The segment these numbers were for no longer exists.{' '}
          <button type="button" className="wm-link-button" onClick={() => state.setFilter(withSegment(filter, undefined))}>
            Show all customers
          </button>
        </p>
      ) : error ? (
        <p role="alert" className="wm-error">
          The numbers could not be loaded: {error}
        </p>
      ) : !stats ? (
        <SkeletonLines lines={6} label="Loading the numbers" />
      ) : node ? (
        <NodeStatsDetail nodeId={node.id} kind={node.type as NodeType} name={nodeName(node.type as NodeType, node.data)} stats={stats} onWho={(who) => state.openWho(node.id, who)} />
      ) : (
        <JourneyTotals stats={stats} />
      )}
    </div>
  );
}
