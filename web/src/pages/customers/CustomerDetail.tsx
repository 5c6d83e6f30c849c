import type { CustomerView, WorkspaceSummary } from '@waymark/shared';
import { ArrowLeft } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure } from '../../api/client.ts';
import { navigateTo } from '../../app/use-route.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { CustomerHeader } from './CustomerHeader.tsx';
import { CustomerSegments } from './CustomerSegments.tsx';
import { fetchCustomer } from './customer-api.ts';
import { Drawer } from './Drawer.tsx';
import { MessageDrawer } from './MessageDrawer.tsx';
import { RunList } from './RunList.tsx';
import { RunPathView } from './RunPathView.tsx';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { Timeline } from './Timeline.tsx';
import { TraitsTable } from './TraitsTable.tsx';
import { listPath } from './use-list-filters.ts';

type Opened = { kind: 'message'; id: string } | { kind: 'run'; id: string; journeyName: string } | null;

/** The single customer view: who they are and their consent, traits, journeys with their paths, and one timeline of everything. */
export function CustomerDetail({ workspace, id }: { workspace: WorkspaceSummary; id: string }) {
  const [view, setView] = useState<CustomerView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened>(null);
  useEffect(() => {
    fetchCustomer(workspace.id, id).then(setView, (e: Error) =>
      setError(e instanceof ApiFailure && e.status === 404 ? 'This customer is not in this workspace: they may have been erased. Go back to the list to find them.' : e.message),
    );
  }, [workspace.id, id]);
  const back = listPath();
  const close = useCallback(() => setOpened(null), []);
  const openMessage = useCallback((messageId: string) => setOpened({ kind: 'message', id: messageId }), []);
  const openRun = useCallback((runId: string, journeyName: string) => setOpened({ kind: 'run', id: runId, journeyName }), []);
  return (
    <section className="wm-page wm-customer">
      <a className="wm-back" href={back} onClick={navigateTo(back)}>
        <ArrowLeft aria-hidden="true" size={16} /> All customers
      </a>
      <ErrorAlert message={error} />
      {!view && !error && <SkeletonLines lines={8} label="Loading the customer" />}
      {view && (
        <>
          <CustomerHeader view={view} />
          <div className="wm-customer-grid">
            <div className="wm-customer-side">
              <section className="wm-panel" aria-labelledby="journeys-title">
                <h2 id="journeys-title">Journeys</h2>
                <RunList workspaceId={workspace.id} customerId={view.id} runs={view.runs} refusals={view.refusals} />
              </section>
              <section className="wm-panel" aria-labelledby="segments-title">
                <h2 id="segments-title">Segments</h2>
                <CustomerSegments segments={view.segments} history={view.segmentHistory} />
              </section>
              <section className="wm-panel" aria-labelledby="traits-title">
                <h2 id="traits-title">Traits</h2>
                <TraitsTable traits={view.traits} />
              </section>
            </div>
            <Timeline workspaceId={workspace.id} customerId={view.id} first={view.timeline} onOpenMessage={openMessage} onOpenRun={openRun} />
          </div>
        </>
      )}
      {view && opened?.kind === 'message' && <MessageDrawer workspaceId={workspace.id} customerId={view.id} messageId={opened.id} onClose={close} />}
      {view && opened?.kind === 'run' && (
        <Drawer title={`Path through ${opened.journeyName}`} onClose={close}>
          <RunPathView workspaceId={workspace.id} customerId={view.id} runId={opened.id} />
        </Drawer>
      )}
    </section>
  );
}
