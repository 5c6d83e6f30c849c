import { describeWaitRange, type JourneyStats, type NodeType, type WaitSpan } from '@waymark/shared';
import { channelName } from '../../components/words.ts';
import { SplitReadoutView } from './SplitReadoutView.tsx';
import { StatRows, type StatRow } from './StatRows.tsx';
import { formatCount, rateWithCounts } from './stats-format.ts';
import { byReason, skipWords } from './stats-words.ts';
import type { WhoState } from './stats-store.ts';

const sendMetrics = ['queued', 'sent', 'delivered', 'failed', 'opened', 'clicked', 'unsubscribed'] as const;
const sendLabels: Record<(typeof sendMetrics)[number], string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
  opened: 'Opened',
  clicked: 'Clicked',
  unsubscribed: 'Unsubscribed',
};
const whoOf: Partial<Record<(typeof sendMetrics)[number], WhoState>> = { sent: 'sent', failed: 'failed' };

const span = (s: WaitSpan) => describeWaitRange({ from: s.from, to: s.to ?? Number.POSITIVE_INFINITY });

/**
 * One step's numbers in the Stats tab: entries, waiting now, conversions after it; a send step's
 * deliveries (rates of sent) and skips by reason; a wait's time spent; a split's A/B readout.
 */
export function NodeStatsDetail({ nodeId, kind, name, stats, onWho }: { nodeId: string; kind: NodeType; name: string; stats: JourneyStats; onWho(state: WhoState): void }) {
  const counts = stats.nodes[nodeId] ?? {};
  const get = (metric: string) => counts[metric] ?? 0;
  const who = (state: WhoState, label: string) => (
    <button type="button" className="wm-link-button" onClick={() => onWho(state)}>
      {label}
    </button>
  );
  const rows: StatRow[] = [
    { label: 'Entered', value: formatCount(get('entered')), detail: 'passes: a customer who comes back counts again' },
    { label: 'Waiting now', value: formatCount(get('waiting')), detail: get('waiting') > 0 ? who('waiting', 'See who is here') : undefined },
    { label: 'Converted after this step', value: rateWithCounts(get('converted'), get('entered')) },
  ];
  const sent = get('sent');
  const sendRows: StatRow[] = sendMetrics.map((metric) => ({
    label: sendLabels[metric],
    value: metric === 'queued' || metric === 'sent' ? formatCount(get(metric)) : rateWithCounts(get(metric), sent),
    detail: whoOf[metric] && get(metric) > 0 ? who(whoOf[metric], `See who was ${metric}`) : undefined,
  }));
  const channels = Object.entries(counts).filter(([metric]) => metric.startsWith('sent@'));
  const skips = byReason(counts, 'skipped');
  const wait = stats.waits[nodeId];
  const split = stats.splits[nodeId];
  return (
    <div className="wm-stats-detail" data-testid="stats-node">
      <h3 className="wm-stats-title">{name}</h3>
      <StatRows rows={rows} />
      {kind === 'send' && (
        <>
          <h4 className="wm-stats-subtitle">Messages</h4>
          <StatRows rows={sendRows} testId="stats-send" />
          {channels.length > 1 && <p className="wm-stats-note">Sent by channel: {channels.map(([metric, n]) => `${channelName(metric.slice(5))} ${formatCount(n)}`).join(' · ')}</p>}
          <h4 className="wm-stats-subtitle">Not sent</h4>
          {skips.length ? (
            <ul className="wm-stats-reasons" data-testid="stats-skips">
              {skips.map(([reason, n]) => (
                <li key={reason}>
                  <span>{skipWords(reason)}</span> <strong>{formatCount(n)}</strong>
                </li>
              ))}
            </ul>
          ) : (
            <p className="wm-stats-note">Every message of this step was sent.</p>
          )}
          {skips.length > 0 && who('skipped', 'See who was skipped')}
        </>
      )}
      {wait && (
        <>
          <h4 className="wm-stats-subtitle">Time spent here</h4>
          <p data-testid="stats-wait">
            {wait.count ? `median ${span(wait.median)}, p90 ${span(wait.p90)} · ${formatCount(wait.count)} left the wait` : 'Nobody has left this wait in these days yet.'}
          </p>
        </>
      )}
      {split && <SplitReadoutView readout={split} />}
    </div>
  );
}
