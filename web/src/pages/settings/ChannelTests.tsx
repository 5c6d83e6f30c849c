import { useEffect, useState, type FormEvent } from 'react';
import type { ChannelStatus, WorkspaceSummary } from '@waymark/shared';
import { api } from '../../api/client.ts';
import { can } from '../../app/session.ts';

const providerText: Record<ChannelStatus['provider'], string> = {
  sandbox: 'Sandbox: recorded, nothing leaves the machine',
  webhook: 'Real HTTP requests',
  provider: 'Configured provider',
  inbox: 'In-app inbox: kept for the customer’s app to show',
};

/** Test content per channel: what a "send test" sends. */
function testContent(channel: string, target: string): Record<string, unknown> {
  switch (channel) {
    case 'webhook':
      return { method: 'POST', url: target, body: { test: true, from: 'Waymark' } };
    case 'email':
      return { subject: 'Waymark test email', html: '<p>This is a test from Waymark.</p>' };
    case 'sms':
      return { text: 'Waymark test message' };
    default:
      return { title: 'Waymark test', body: 'This is a test from Waymark.' };
  }
}

/** Each channel, what it sends through, and a "send test" that goes straight through its adapter. */
export function ChannelTests({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/api/workspaces/${workspace.id}/channels`;
  const [channels, setChannels] = useState<ChannelStatus[] | null>(null);
  const [results, setResults] = useState<Record<string, { ok: boolean; text: string }>>({});
  useEffect(() => {
    api<ChannelStatus[]>('GET', base).then(setChannels, () => setChannels([]));
  }, [base]);
  const send = async (event: FormEvent<HTMLFormElement>, channel: string) => {
    event.preventDefault();
    const target = String(new FormData(event.currentTarget).get('target') ?? '');
    try {
      const sent = await api<{ providerId: string | null; sandbox: boolean }>('POST', `${base}/${channel}/test`, {
        to: channel === 'webhook' ? undefined : target,
        content: testContent(channel, target),
      });
      setResults({ ...results, [channel]: { ok: true, text: sent.sandbox ? 'Recorded in the sandbox.' : `Sent${sent.providerId ? ` (${sent.providerId})` : ''}.` } });
    } catch (e) {
      setResults({ ...results, [channel]: { ok: false, text: (e as Error).message } });
    }
  };
  if (channels === null) return <p className="wm-loading">Loading channels…</p>;
  return (
    <table className="wm-table">
      <thead>
        <tr>
          <th>Channel</th>
          <th>Sends through</th>
          <th>Send test</th>
        </tr>
      </thead>
      <tbody>
        {channels.map(({ channel, provider }) => (
          <tr key={channel}>
            <td>{channel}</td>
            <td>{providerText[provider]}</td>
            <td>
              {can(workspace, 'editor') ? (
                <form className="wm-row-actions" onSubmit={(e) => void send(e, channel)}>
                  <input
                    name="target"
                    aria-label={`Test ${channel} ${channel === 'webhook' ? 'URL' : 'recipient'}`}
                    placeholder={channel === 'webhook' ? 'https://…' : channel === 'email' ? 'you@example.com' : channel === 'sms' ? '+15550001111' : 'device or user'}
                    required={channel === 'webhook'}
                  />
                  <button type="submit">Send test</button>
                  {results[channel] && (
                    <span role="status" className={results[channel]!.ok ? '' : 'wm-error'}>
                      {results[channel]!.text}
                    </span>
                  )}
                </form>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
