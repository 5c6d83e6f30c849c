import type { JourneyStats } from '@waymark/shared';
import { StatRows } from './StatRows.tsx';
import { formatCount, rateWithCounts } from './stats-format.ts';
import { byReason, exitWords, refusalWords } from './stats-words.ts';

/** The pseudo node the runtime counts journey-level numbers on. */
export const journeyNode = '_journey';

/** The whole journey's numbers, with no step selected: customers, entries, now in it, conversions, exits and refusals by reason. */
export function JourneyTotals({ stats }: { stats: JourneyStats }) {
  const journey = stats.nodes[journeyNode] ?? {};
  const inJourney = Object.entries(stats.nodes).reduce((sum, [id, counts]) => (id === journeyNode ? sum : sum + (counts.waiting ?? 0)), 0);
  const entered = journey.entered ?? 0;
  const exits = byReason(journey, 'exit');
  const refused = byReason(journey, 'refused');
  return (
    <div className="wm-stats-detail" data-testid="stats-journey">
      <h3 className="wm-stats-title">The whole journey</h3>
      <StatRows
        rows={[
          { label: 'Customers entered', value: formatCount(stats.customers), detail: 'each counted once' },
          { label: 'Entries', value: formatCount(entered), detail: 'a customer who comes back counts again' },
          { label: 'In the journey now', value: formatCount(inJourney) },
          { label: 'Converted', value: rateWithCounts(journey.converted ?? 0, entered), detail: 'of entries' },
        ]}
      />
      <h4 className="wm-stats-subtitle">How runs ended</h4>
      {exits.length ? (
        <ul className="wm-stats-reasons">
          {exits.map(([reason, n]) => (
            <li key={reason}>
              <span>{exitWords(reason)}</span> <strong>{formatCount(n)}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className="wm-stats-note">No run has ended in these days.</p>
      )}
      <h4 className="wm-stats-subtitle">Entries refused</h4>
      {refused.length ? (
        <ul className="wm-stats-reasons">
          {refused.map(([reason, n]) => (
            <li key={reason}>
              <span>{refusalWords(reason)}</span> <strong>{formatCount(n)}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className="wm-stats-note">No entry was refused in these days.</p>
      )}
      <p className="wm-stats-note">Select a step on the canvas to see its numbers.</p>
    </div>
  );
}
