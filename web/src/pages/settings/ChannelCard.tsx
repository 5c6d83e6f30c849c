import type { ChannelStatus, ProviderView, WorkspaceSummary } from '@waymark/shared';
import { Bell, Inbox, Mail, MessageSquare, Webhook } from 'lucide-react';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { can } from '../../app/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { channelName } from '../../components/words.ts';
import { sendsThrough } from './channel-words.ts';
import { CopyButton } from './CopyButton.tsx';
import { kindOfChannel } from './provider-form-model.ts';
import { ProviderForm } from './ProviderForm.tsx';
import { SandboxMessages } from './SandboxMessages.tsx';
import { SendTestPanel } from './SendTestPanel.tsx';

const icons: Record<string, typeof Mail> = { email: Mail, sms: MessageSquare, push: Bell, 'in-app': Inbox, webhook: Webhook };
const messagesOf: Record<string, string> = { email: 'emails', sms: 'SMS messages', push: 'push notifications' };
const providerNames: Record<string, string> = { smtp: 'SMTP', twilio: 'Twilio', 'web-push': 'web push' };

/**
 * One channel: what it sends through, connecting / changing / disconnecting its provider (owners),
 * "send test" with the answer (editors), and the sandbox's recent messages.
 */
export function ChannelCard({ workspace, status, provider, onChanged }: { workspace: WorkspaceSummary; status: ChannelStatus; provider: ProviderView | undefined; onChanged(): void }) {
  const { channel } = status;
  const base = `/api/workspaces/${workspace.id}`;
  const kind = kindOfChannel[channel];
  const owner = can(workspace, 'owner');
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recentVersion, setRecentVersion] = useState(0);
  const Icon = icons[channel] ?? Mail;
  const name = channelName(channel);
  const sandboxed = status.provider === 'sandbox' && !provider;

  const disconnect = async () => {
    setConfirming(false);
    try {
      await api('DELETE', `${base}/providers/${channel}`);
      setError(null);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section className="wm-card wm-channel" aria-labelledby={`channel-${channel}`}>
      <div className="wm-channel-head">
        <Icon size={20} aria-hidden className="wm-channel-icon" />
        <div className="wm-channel-title">
          <h3 id={`channel-${channel}`}>{name}</h3>
          <p className="wm-channel-through">{sendsThrough(status, provider)}</p>
        </div>
        <span className={`wm-badge ${sandboxed ? 'is-sandbox' : 'is-live'}`}>{sandboxed ? 'Sandbox' : 'Live'}</span>
        {kind && owner && !editing && (
          <div className="wm-row-actions wm-channel-actions">
            <button type="button" onClick={() => setEditing(true)}>
              {provider ? 'Edit' : 'Connect'}
            </button>
            {provider && (
              <button type="button" onClick={() => setConfirming(true)}>
                Disconnect
              </button>
            )}
          </div>
        )}
      </div>
      <ErrorAlert message={error} />
      {kind && !owner && !provider && <p className="wm-note">Only owners connect a provider.</p>}
      {kind && editing && (
        <ProviderForm
          kind={kind}
          path={`${base}/providers/${channel}`}
          view={provider ?? null}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
      {provider && !editing && <ProviderSetup provider={provider} />}
      {can(workspace, 'editor') && (
        <SendTestPanel
          channel={channel}
          base={`${base}/channels`}
          onSent={(result) => {
            if (result.sandbox) setRecentVersion((v) => v + 1);
          }}
        />
      )}
      {channel !== 'webhook' && (
        <SandboxMessages
          key={recentVersion}
          channel={channel}
          base={`${base}/channels`}
          initiallyOpen={recentVersion > 0}
          title={provider ? 'Kept in the sandbox before connecting' : 'Recent messages'}
          hideWhenEmpty={Boolean(provider)}
        />
      )}
      {confirming && provider && (
        <ConfirmDialog
          title={`Disconnect ${providerNames[provider.kind] ?? provider.kind} from ${name}?`}
          confirmLabel="Disconnect"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => void disconnect()}
        >
          <p>
            From now on, {messagesOf[channel] ?? 'messages'} go to the sandbox: they are kept here and nobody receives them, until you connect a provider again.
            {provider.kind === 'web-push' && ' Browsers subscribed with this provider’s key must subscribe again after you reconnect.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** What to set up at the provider's end: Twilio's callback URLs, the web push key and script. */
function ProviderSetup({ provider }: { provider: ProviderView }) {
  const urls = provider.callbackUrls ?? {};
  if (provider.kind === 'twilio' && Object.keys(urls).length)
    return (
      <div className="wm-setup">
        <p>
          In the Twilio console, open your number (or messaging service) and paste the first URL under <strong>Status callback URL</strong> and the second under <strong>A message comes in</strong>{' '}
          (HTTP POST), so Waymark learns what was delivered and who replied STOP.
        </p>
        <dl className="wm-setup-values">
          {urls.status && <SetupValue label="Delivery status" value={urls.status} />}
          {urls.inbound && <SetupValue label="Incoming replies" value={urls.inbound} />}
        </dl>
      </div>
    );
  if (provider.kind === 'web-push' && provider.publicKey)
    return (
      <div className="wm-setup">
        <p>
          Add <code>/sdk.js</code> to your site to collect subscriptions; it subscribes browsers with this public key.
        </p>
        <dl className="wm-setup-values">
          <SetupValue label="Public key (VAPID)" value={provider.publicKey} />
        </dl>
      </div>
    );
  return null;
}

function SetupValue({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <code>{value}</code>
        <CopyButton text={value} what={label.toLowerCase()} />
      </dd>
    </div>
  );
}
