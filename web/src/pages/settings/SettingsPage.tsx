import type { WorkspaceSummary } from '@waymark/shared';
import type { ReactNode } from 'react';
import { can } from '../../app/session.ts';
import { navigateTo, usePath } from '../../app/use-route.ts';
import { AuditLog } from './AuditLog.tsx';
import { ChannelsSettings } from './ChannelsSettings.tsx';
import { FailedWork } from './FailedWork.tsx';
import { KeysSettings } from './KeysSettings.tsx';
import { TeamSettings } from './TeamSettings.tsx';
import { WebhookSettings } from './WebhookSettings.tsx';

interface Tab {
  id: string;
  label: string;
  render(workspace: WorkspaceSummary): ReactNode;
  owners?: boolean;
}

const tabs: Tab[] = [
  {
    id: 'channels',
    label: 'Channels',
    render: (w) => <ChannelsSettings workspace={w} />,
  },
  { id: 'webhooks', label: 'Webhooks', render: (w) => <WebhookSettings workspace={w} /> },
  { id: 'team', label: 'People', render: (w) => <TeamSettings workspace={w} /> },
  { id: 'keys', label: 'Keys', render: (w) => <KeysSettings workspace={w} />, owners: true },
  { id: 'failed', label: 'Failed processing', render: (w) => <FailedWork workspace={w} /> },
  { id: 'audit', label: 'Audit log', render: (w) => <AuditLog workspace={w} />, owners: true },
];

/** The workspace's settings, one tab per area; the tab is in the path (`/settings/webhooks`), so it survives a reload. */
export function SettingsPage({ workspace }: { workspace: WorkspaceSummary }) {
  const path = usePath();
  const visible = tabs.filter((t) => !t.owners || can(workspace, 'owner'));
  const current = visible.find((t) => path === `/settings/${t.id}`) ?? visible[0]!;
  return (
    <section className="wm-page">
      <h1>Settings</h1>
      <nav className="wm-tabs" aria-label="Settings">
        {visible.map((t) => (
          <a key={t.id} href={`/settings/${t.id}`} aria-current={t === current ? 'page' : undefined} onClick={navigateTo(`/settings/${t.id}`)}>
            {t.label}
          </a>
        ))}
      </nav>
      <h2 className="wm-sr">{current.label}</h2>
      {current.render(workspace)}
    </section>
  );
}
