import { formatP, type SplitReadout } from '@waymark/shared';
import { TriangleExclamationPoint } from 'lucide-react';
import { formatCount, formatPoints, formatShare, rateWithCounts } from './stats-format.ts';

/**
 * An A/B readout: the arms side by side (entered, conversions, rate), each variant against the
 * control in points with its 95 % interval and p-value, and the readout's sentence — in a warning
 * style while there is not enough data to trust it.
 */
export function SplitReadoutView({ readout }: { readout: SplitReadout }) {
  return (
    <section className={`wm-ab${readout.enoughData ? '' : ' is-early'}`} aria-label="A/B readout" data-testid="ab-readout">
      <h3 className="wm-ab-title">A/B readout</h3>
      <table className="wm-ab-table">
        <thead>
          <tr>
            <th scope="col" className="wm-ab-cell is-arm">
              Arm
            </th>
            <th scope="col" className="wm-ab-cell">
              Entered
            </th>
            <th scope="col" className="wm-ab-cell">
              Conversions
            </th>
            <th scope="col" className="wm-ab-cell">
              Rate
            </th>
          </tr>
        </thead>
        <tbody>
          {readout.arms.map((arm) => (
            <tr key={arm.id}>
              <th scope="row" className="wm-ab-cell is-arm">
                {arm.label ?? arm.id}
                {arm.isControl && <span className="wm-ab-control">control</span>}
              </th>
              <td className="wm-ab-cell">{formatCount(arm.entered)}</td>
              <td className="wm-ab-cell">{formatCount(arm.converted)}</td>
              <td className="wm-ab-cell" title={rateWithCounts(arm.converted, arm.entered)}>
                {formatShare(arm.converted, arm.entered)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="wm-ab-diffs">
        {readout.arms
          .filter((arm) => arm.comparison)
          .map((arm) => {
            const { difference, interval, p } = arm.comparison!;
            return (
              <li key={arm.id}>
                <strong>{arm.label ?? arm.id}</strong> vs control: {formatPoints(difference)} (95% interval {formatPoints(interval[0])} to {formatPoints(interval[1])}), {formatP(p)}
              </li>
            );
          })}
      </ul>
      <p className={`wm-ab-sentence${readout.enoughData ? '' : ' is-early'}`} role={readout.enoughData ? undefined : 'note'}>
        {!readout.enoughData && <TriangleExclamationPoint aria-hidden className="wm-ab-warn" />}
        {readout.sentence}
      </p>
    </section>
  );
}
