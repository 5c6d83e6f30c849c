import type { CustomerSegment, SegmentMembershipChange } from '@waymark/shared';
import { LogIn, LogOut } from 'lucide-react';
import { useState } from 'react';
import { navigateTo } from '../../app/use-route.ts';
import { Time } from './Time.tsx';

const shownFirst = 5;

/** The segments the customer is in now, each linking to its page, and the history of their entering and leaving. */
export function CustomerSegments({ segments, history }: { segments: CustomerSegment[]; history: SegmentMembershipChange[] }) {
  const [all, setAll] = useState(false);
  const changes = all ? history : history.slice(0, shownFirst);
  return (
    <>
      {segments.length ? (
        <ul className="wm-segment-chips" aria-label="Segments now">
          {segments.map((segment) => {
            const path = `/segments/${encodeURIComponent(segment.id)}`;
            return (
              <li key={segment.id}>
                <a href={path} onClick={navigateTo(path)}>
                  {segment.name}
                </a>{' '}
                <span className="wm-muted">
                  since <Time at={segment.since} />
                </span>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="wm-muted">In no segment now.</p>
      )}
      {history.length > 0 && (
        <>
          <h3 className="wm-subhead">Membership history</h3>
          <ol className="wm-membership-history">
            {changes.map((change, i) => (
              <li key={`${change.at}-${change.segmentId}-${i}`}>
                {change.change === 'entered' ? <LogIn aria-hidden="true" size={14} className="is-entered" /> : <LogOut aria-hidden="true" size={14} className="is-exited" />}
                <span>
                  {change.change === 'entered' ? 'Entered' : 'Left'} <strong>{change.segment}</strong>
                </span>
                <span className="wm-muted">
                  <Time at={change.at} />
                </span>
              </li>
            ))}
          </ol>
          {history.length > shownFirst && (
            <button type="button" className="wm-link-button" onClick={() => setAll(!all)}>
              {all ? 'Show fewer' : `Show all ${history.length} changes`}
            </button>
          )}
        </>
      )}
    </>
  );
}
