import { ChannelStatus, ProviderView, type WorkspaceSummary } from '@waymark/shared';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ChannelCard } from './ChannelCard.tsx';
import { ConsentSettings } from './ConsentSettings.tsx';

/** The Channels tab: a card per channel (provider, send test, sandbox messages), then consent and topics. */
export function ChannelsSettings({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}`;
  const [channels, setChannels] = useState<ChannelStatus[] | null>(null);
  const [providers, setProviders] = useState<ProviderView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    Promise.all([api<unknown[]>('GET', `${base}/channels`), api<unknown[]>('GET', `${base}/providers`)])
      .then(([statuses, views]) => [statuses.map((s) => ChannelStatus.parse(s)), views.map((v) => ProviderView.parse(v))] as const)
      .then(
        ([statuses, views]) => {
          setChannels(statuses);
          setProviders(views);
          setError(null);
        },
        (e: Error) => {
          setChannels((current) => current ?? []);
          setError(e.message);
        },
      );
  }, [base]);
  useEffect(load, [load]);

  return (
    <div className="wm-channels">
      <p className="wm-lead">
        Each channel sends through a provider you connect. Without one it delivers to the <strong>sandbox</strong>: every message is kept here and on its customer, and nobody receives it.
      </p>
      <ErrorAlert message={error} />
      {channels === null ? (
        <div className="wm-card wm-channel" aria-busy="true">
          <div className="wm-skeleton-bar" />
          <div className="wm-skeleton-bar" />
        </div>
      ) : (
        channels.map((status) => <ChannelCard key={status.channel} workspace={workspace} status={status} provider={providers.find((p) => p.channel === status.channel)} onChanged={load} />)
      )}
      <ConsentSettings workspace={workspace} />
    </div>
  );
}
