import { useEffect, useState } from 'react';
import type { JourneyDetail, JourneyDocumentInput, JourneyReport, StatsSegment, WorkspaceSummary } from '@waymark/shared';
import { Users } from 'lucide-react';
import { ApiFailure, api } from '../../api/client.ts';
import { navigateTo } from '../../app/use-route.ts';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { StatsFilters } from '../../editor/stats/StatsFilters.tsx';
import { loadSegmentOptions } from '../../editor/stats/segment-options.ts';
import { customersNowIn } from '../../editor/stats/segment-words.ts';
import { filterQuery, readFilter, type StatsFilter, withSegment, writeFilter } from '../../editor/stats/stats-filter.ts';
import { formatCount, rateWithCounts } from '../../editor/stats/stats-format.ts';
import { ChannelTable } from './ChannelTable.tsx';
import { DailyChart } from './DailyChart.tsx';
import { ExitsTable } from './ExitsTable.tsx';
import { FunnelChart } from './FunnelChart.tsx';
import { SegmentTable } from './SegmentTable.tsx';
import { busiestPath, funnelBars, journeyPaths } from './travelled-funnel.ts';

/**
 * A journey's report over a version, a range of days and all customers or a segment's (the Stats
 * tab's filter, kept in the address): totals, the funnel along the most travelled path, a
 * day-by-day chart, channels, endings, and the journey by segment.
 */
export function ReportPage({ journeyId, workspace }: { journeyId: string; workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}/journeys/${journeyId}`;
  const [filter, setFilter] = useState<StatsFilter>(() => readFilter(location.search));
  const [zone, setZone] = useState<string | null>(null);
  const [journey, setJourney] = useState<JourneyDetail | null>(null);
  const [report, setReport] = useState<JourneyReport | null>(null);
  const [document, setDocument] = useState<JourneyDocumentInput | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missingSegment, setMissingSegment] = useState(false);
  const [segments, setSegments] = useState<StatsSegment[] | null>(null);
  const [compared, setCompared] = useState<string[] | null>(null);

  useEffect(() => {
    api<JourneyDetail>('GET', base).then(setJourney, (e: Error) => setError(e.message));
    loadSegmentOptions(workspace.id).then(setSegments, () => setSegments([]));
    api<{ timeZone?: string }>('GET', `/api/workspaces/${workspace.id}/settings`).then(
      (s) => setZone(s.timeZone || 'UTC'),
      () => setZone('UTC'),
    );
  }, [base, workspace.id]);
  useEffect(() => {
    if (!zone) return;
    history.replaceState(history.state, '', `${location.pathname}${writeFilter(location.search, filter)}`);
    let cancelled = false;
    setReport(null);
    setMissingSegment(false);
    api<JourneyReport>('GET', `${base}/report?${filterQuery(filter, zone)}`).then(
      (r) => {
        if (cancelled) return;
        setReport(r);
        setError(null);
        if (r.stats.range.zone !== zone) setZone(r.stats.range.zone);
      },
      (e: Error) => {
        if (cancelled) return;
        setMissingSegment(e instanceof ApiFailure && e.code === 'segment-not-found');
        setError(e instanceof ApiFailure && e.code === 'not-published' ? 'This journey has not been published yet, so it has no numbers. Publish it first.' : e.message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [base, filter, zone]);
  // The steps to name along the funnel: the version counted (the live one when all are summed).
  const counted = report?.stats.version ?? journey?.liveVersion ?? null;
  useEffect(() => {
    if (counted === null) return;
    api<{ document: JourneyDocumentInput }>('GET', `${base}/versions/${counted}`).then(
      (v) => setDocument(v.document),
      () => setDocument(null),
    );
  }, [base, counted]);

  const editorLink = `/journeys/${journeyId}${writeFilter('', filter)}`;
  const journeyCounts = report?.stats.nodes._journey ?? {};
  const [chosenPath, setChosenPath] = useState<string | null>(null);
  const paths = document ? journeyPaths(document) : [];
  const busiest = report && document ? busiestPath(document, report.stats.nodes).join(' ') : '';
  const pathKey = chosenPath && paths.some((p) => p.nodes.join(' ') === chosenPath) ? chosenPath : busiest;
  const funnel = report && document && pathKey ? funnelBars(document, pathKey.split(' '), report.stats.nodes) : [];
  return (
    <section className="wm-page wm-report">
      <div className="wm-page-head">
        <h1>{journey ? `Report: ${journey.name}` : 'Report'}</h1>
        <a className="wm-button-like" href={editorLink} onClick={navigateTo(editorLink)}>
          Open the journey
        </a>
      </div>
      <div className="wm-report-filters">
        <StatsFilters filter={filter} versions={report?.stats.versions ?? []} zone={zone ?? 'UTC'} segments={segments} counted={report?.stats.segment} onChange={setFilter} />
      </div>
      {missingSegment ? (
        <p role="alert" className="wm-error">
          The segment in this address no longer exists.{' '}
          <button type="button" className="wm-link-button" onClick={() => setFilter(withSegment(filter, undefined))}>
            Show all customers
          </button>
        </p>
      ) : error ? (
        <p role="alert" className="wm-error">
          {error}
        </p>
      ) : !report ? (
        <SkeletonLines lines={8} label="Loading the report" />
      ) : (
        <>
          {report.stats.segment && (
            <p className="wm-report-scope" data-testid="report-scope">
              <Users aria-hidden size={18} />
              <span>
                {customersNowIn(report.stats.segment)} <span className="wm-report-scope-count">· {formatCount(report.stats.segment.members)} customers</span>
              </span>
            </p>
          )}
          <dl className="wm-report-totals" data-testid="report-totals">
            <div>
              <dt>Customers entered</dt>
              <dd>{formatCount(report.stats.customers)}</dd>
            </div>
            <div>
              <dt>Entries</dt>
              <dd>{formatCount(journeyCounts.entered ?? 0)}</dd>
            </div>
            <div>
              <dt>Converted</dt>
              <dd>{rateWithCounts(journeyCounts.converted ?? 0, journeyCounts.entered ?? 0)}</dd>
            </div>
          </dl>
          <div className="wm-report-grid">
            {funnel.length > 0 && (
              <FunnelChart
                bars={funnel}
                title={pathKey === busiest ? 'Funnel along the most travelled path' : 'Funnel along a chosen path'}
                note={pathKey === busiest ? 'From the trigger, following at each step the branch most customers took.' : 'From the trigger, along the branches you chose.'}
                picker={
                  paths.length > 1 && (
                    <label className="wm-funnel-path">
                      Path
                      <select value={pathKey} onChange={(e) => setChosenPath(e.target.value)}>
                        {paths.map((p) => {
                          const key = p.nodes.join(' ');
                          return (
                            <option key={key} value={key}>
                              {p.label}
                              {key === busiest ? ' (most travelled)' : ''}
                            </option>
                          );
                        })}
                      </select>
                    </label>
                  )
                }
              />
            )}
            <DailyChart days={report.days} zone={report.stats.range.zone} />
            <ChannelTable channels={report.channels} />
            <ExitsTable exits={report.exits} />
            {zone && <SegmentTable base={base} query={filterQuery(withSegment(filter, undefined), zone)} segments={segments} chosen={compared} onChoose={setCompared} />}
          </div>
        </>
      )}
    </section>
  );
}
