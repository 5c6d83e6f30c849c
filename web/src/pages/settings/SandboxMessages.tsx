import { SandboxMessage } from '@waymark/shared';
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { timeAgo } from '../../components/relative-time.ts';
import { navigateTo } from '../../app/use-route.ts';
import { messageSummary } from './channel-words.ts';
import { RenderedMessage } from './RenderedMessage.tsx';

/**
 * The newest messages the channel's sandbox kept (at most 50, newest first), collapsed under the
 * channel: time, recipient, what it said, whether it was a test; a row opens the message.
 * `title` says whose list it is; `initiallyOpen` shows it open (after a test was kept: the parent
 * mounts a new list, which reads the messages again); `hideWhenEmpty` leaves out an empty one.
 */
export function SandboxMessages({ channel, base, title, initiallyOpen, hideWhenEmpty }: { channel: string; base: string; title: string; initiallyOpen?: boolean; hideWhenEmpty?: boolean }) {
  const [messages, setMessages] = useState<SandboxMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [expanded, setExpanded] = useState(Boolean(initiallyOpen));
  useEffect(() => {
    api<unknown[]>('GET', `${base}/${channel}/recent`)
      .then((body) => body.map((m) => SandboxMessage.parse(m)))
      .then(
        (list) => {
          setMessages(list);
          setError(null);
        },
        (e: Error) => setError(e.message),
      );
  }, [base, channel]);

  if (hideWhenEmpty && messages?.length === 0) return null;
  return (
    <details className="wm-recent" open={expanded} onToggle={(e) => setExpanded(e.currentTarget.open)}>
      <summary>
        {title}
        {messages ? ` (${messages.length})` : ''}
      </summary>
      <ErrorAlert message={error} />
      {messages === null ? (
        !error && <p className="wm-note">Loading…</p>
      ) : messages.length === 0 ? (
        <p className="wm-note">Nothing kept yet. Messages this channel sends without a provider, and test sends, appear here.</p>
      ) : (
        <ul className="wm-recent-list">
          {messages.map((m) => {
            const when = timeAgo(m.at);
            const isOpen = open === m.id;
            return (
              <li key={m.id}>
                <div className="wm-recent-row">
                  <button type="button" className="wm-recent-open" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? null : m.id)}>
                    <time dateTime={m.at} title={when.title}>
                      {when.text}
                    </time>
                    <span className="wm-recent-to">{m.to ?? 'No address'}</span>
                    <span className="wm-recent-text">{messageSummary(channel, m.content) || '—'}</span>
                  </button>
                  {m.test && <span className="wm-badge">Test</span>}
                  {m.customerId && (
                    <a href={`/customers/${encodeURIComponent(m.customerId)}`} onClick={navigateTo(`/customers/${encodeURIComponent(m.customerId)}`)}>
                      Customer
                    </a>
                  )}
                </div>
                {isOpen && (
                  <div className="wm-recent-preview">
                    <RenderedMessage channel={channel} content={m.content} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </details>
  );
}
