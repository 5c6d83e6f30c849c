import { SendTestResult } from '@waymark/shared';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import { testRecipient } from './channel-words.ts';
import { RenderedMessage } from './RenderedMessage.tsx';

interface SampleField {
  name: string;
  label: string;
  initial: string;
  multiline?: boolean;
}

/** What a test message says on each channel, editable before sending. */
const sampleFields: Record<string, SampleField[]> = {
  email: [
    { name: 'subject', label: 'Subject', initial: 'Hello from Waymark' },
    { name: 'html', label: 'Message (HTML)', initial: '<p>Hi there! This is a test from <strong>Waymark</strong>.</p>', multiline: true },
  ],
  sms: [{ name: 'text', label: 'Text', initial: 'Hi there! This is a test from Waymark.', multiline: true }],
  push: [
    { name: 'title', label: 'Title', initial: 'Hello from Waymark' },
    { name: 'body', label: 'Text', initial: 'This is a test notification.', multiline: true },
  ],
  'in-app': [
    { name: 'title', label: 'Title', initial: 'Hello from Waymark' },
    { name: 'body', label: 'Text', initial: 'This is a test message in the inbox.', multiline: true },
  ],
  webhook: [],
};

/** How the recipient can tell a test from a real message. */
const testMark: Record<string, string> = {
  email: 'The subject starts with “[Test]”.',
  sms: 'The text starts with “[Test]”.',
  push: 'The title starts with “[Test]”.',
  'in-app': 'The title starts with “[Test]”.',
  webhook: 'The request carries the header Waymark-Test: true.',
};

type Outcome = { ok: true; to: string; result: SendTestResult } | { ok: false; message: string };

/**
 * "Send test" on one channel: a recipient, a sample message, and the answer right here: what the
 * provider said and the message as it left, or why it was not sent.
 */
export function SendTestPanel({ channel, base, onSent }: { channel: string; base: string; onSent(result: SendTestResult): void }) {
  const fields = sampleFields[channel] ?? [];
  const recipient = testRecipient[channel] ?? { label: 'Send to', placeholder: '', type: 'text' };
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, f.initial])));
  const [to, setTo] = useState('');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const id = (name: string) => `test-${channel}-${name}`;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const target = to.trim();
    const content = channel === 'webhook' ? { method: 'POST', url: target, body: { test: true, from: 'Waymark' } } : values;
    setSending(true);
    try {
      const result = SendTestResult.parse(await api('POST', `${base}/${channel}/test`, { to: channel === 'webhook' || !target ? undefined : target, content }));
      setOutcome({ ok: true, to: target, result });
      onSent(result);
    } catch (e) {
      setOutcome({ ok: false, message: (e as Error).message });
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="wm-send-test" onSubmit={(e) => void send(e)} aria-label={`Send a test ${channel} message`}>
      <div className="wm-form-grid">
        <div className="wm-form-field">
          <label htmlFor={id('to')}>{recipient.label}</label>
          <input
            id={id('to')}
            type={recipient.type}
            value={to}
            placeholder={recipient.placeholder}
            required={channel === 'webhook'}
            aria-describedby={recipient.hint ? id('to-hint') : undefined}
            onChange={(e) => setTo(e.target.value)}
          />
          {recipient.hint && (
            <p className="wm-field-hint" id={id('to-hint')}>
              {recipient.hint}
            </p>
          )}
        </div>
        {fields.map((f) => (
          <div key={f.name} className={`wm-form-field${f.multiline ? ' is-wide' : ''}`}>
            <label htmlFor={id(f.name)}>{f.label}</label>
            {f.multiline ? (
              <textarea id={id(f.name)} rows={2} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
            ) : (
              <input id={id(f.name)} value={values[f.name] ?? ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
            )}
          </div>
        ))}
      </div>
      <div className="wm-row-actions">
        <button type="submit" disabled={sending}>
          {sending ? 'Sending…' : 'Send test'}
        </button>
        <span className="wm-note">{testMark[channel] ?? ''}</span>
      </div>
      {outcome && <TestOutcome channel={channel} outcome={outcome} />}
    </form>
  );
}

function TestOutcome({ channel, outcome }: { channel: string; outcome: Outcome }) {
  if (!outcome.ok)
    return (
      <p role="alert" className="wm-error wm-test-result">
        {outcome.message}
      </p>
    );
  const { result, to } = outcome;
  return (
    <div className="wm-test-result" role="status">
      {result.sandbox ? (
        <p className="wm-ok">Kept in the sandbox — nothing was sent. It is at the top of the recent messages below.</p>
      ) : (
        <>
          <p className="wm-ok">{channel === 'webhook' ? 'Sent.' : `Sent${to ? ` to ${to}` : ''}.`}</p>
          {result.response && (
            <div className="wm-provider-response">
              <span className="wm-provider-response-label">The provider answered</span>
              <pre>{result.response}</pre>
            </div>
          )}
        </>
      )}
      <h4 className="wm-rendered-title">As the recipient sees it</h4>
      <RenderedMessage channel={channel} content={result.rendered} />
    </div>
  );
}
