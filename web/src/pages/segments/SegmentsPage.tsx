import type { SegmentSummary, WorkspaceSummary } from '@waymark/shared';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { can } from '../../app/session.ts';
import { navigateTo } from '../../app/use-route.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { timeAgo } from '../../components/relative-time.ts';
import { SkeletonRows } from '../../components/Skeleton.tsx';
import { ruleWords } from '../../editor/nodes/rule-words.ts';
import { SegmentEditor } from './SegmentEditor.tsx';

const count = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { style: 'percent' });

/** `/segments`: every segment with its live member count; `/segments/new` and `/segments/:id`: the editor. */
export function SegmentsPage({ workspace, segmentId }: { workspace: WorkspaceSummary; segmentId: string | null }) {
  return segmentId ? <SegmentEditor key={segmentId} workspace={workspace} id={segmentId === 'new' ? null : segmentId} /> : <SegmentList workspace={workspace} />;
}

/** What a segment's member count says: the number, or how far working it out has got. */
export function membersWords(segment: SegmentSummary): string {
  if (segment.build) return `Working out members… ${segment.build.total ? percent.format(segment.build.scanned / segment.build.total) : '0%'}`;
  return `${count.format(segment.members)} customer${segment.members === 1 ? '' : 's'}`;
}

function SegmentList({ workspace }: { workspace: WorkspaceSummary }) {
  const [segments, setSegments] = useState<SegmentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api<SegmentSummary[]>('GET', `/api/workspaces/${workspace.id}/segments`).then(
        (list) => {
          if (!live) return;
          setSegments(list);
          setError(null);
        },
        (e: Error) => live && setError(e.message),
      );
    void load();
    // Counts change with every event: refreshed while the list is open.
    const timer = setInterval(() => void load(), 10_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [workspace.id]);
  const nameOf = (id: string) => segments?.find((s) => s.id === id)?.name;
  return (
    <section className="wm-page wm-segments">
      <div className="wm-page-head">
        <h1>Segments</h1>
        {segments && (
          <span className="wm-count">
            {count.format(segments.length)} segment{segments.length === 1 ? '' : 's'}
          </span>
        )}
        {can(workspace, 'editor') && (
          <a className="wm-button-like wm-primary" href="/segments/new" onClick={navigateTo('/segments/new')}>
            New segment
          </a>
        )}
      </div>
      <ErrorAlert message={error} />
      {segments?.length === 0 ? (
        <div className="wm-empty">
          <p>
            <strong>No segments yet.</strong> A segment is a named audience that stays up to date on its own — “bought in the last 7 days”, “pro plan, can get email” — for journeys to start on, check,
            or send to.
          </p>
          {can(workspace, 'editor') && (
            <a className="wm-button-like wm-primary" href="/segments/new" onClick={navigateTo('/segments/new')}>
              Create a segment
            </a>
          )}
        </div>
      ) : (
        <table className="wm-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Who</th>
              <th className="wm-num">Members</th>
              <th>Changed</th>
            </tr>
          </thead>
          {segments ? (
            <tbody>
              {segments.map((segment) => {
                const changed = timeAgo(segment.updatedAt);
                return (
                  <tr key={segment.id}>
                    <td>
                      <a href={`/segments/${segment.id}`} onClick={navigateTo(`/segments/${segment.id}`)}>
                        {segment.name}
                      </a>
                      {segment.description && <span className="wm-sub">{segment.description}</span>}
                    </td>
                    <td className="wm-segment-words">{capitalize(ruleWords(segment.rules, undefined, nameOf)) || 'Everyone'}</td>
                    <td className="wm-num">{membersWords(segment)}</td>
                    <td title={changed.title}>{changed.text}</td>
                  </tr>
                );
              })}
            </tbody>
          ) : (
            <SkeletonRows rows={4} columns={4} />
          )}
        </table>
      )}
    </section>
  );
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
