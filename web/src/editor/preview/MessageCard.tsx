import { Send } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import type { PreviewMessage } from '@waymark/shared';
import { channelName } from '../../components/words.ts';
import { EmailPreview } from '../inspector/EmailPreview.tsx';
import { InAppPreview } from '../inspector/InAppPreview.tsx';
import { PushPreview } from '../inspector/PushPreview.tsx';
import { SmsPreview } from '../inspector/SmsPreview.tsx';
import { WebhookPreview } from '../inspector/WebhookPreview.tsx';
import { sendTestMessage } from './preview-api.ts';

const previews = { email: EmailPreview, sms: SmsPreview, push: PushPreview, 'in-app': InAppPreview, webhook: WebhookPreview };
const addressWords: Record<string, string> = { email: 'Email address', sms: 'Phone number', push: 'Device token', 'in-app': 'User or device' };

/**
 * A message as the customer would get it (email in a sandboxed frame), and "Send test": the same
 * content to an address typed here, through the channel, marked as a test.
 */
export function MessageCard({ message, workspaceId, canSend }: { message: PreviewMessage; workspaceId: string; canSend: boolean }) {
  const Preview = previews[message.channel];
  const [asking, setAsking] = useState(false);
  const [to, setTo] = useState(message.to ?? '');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const fieldId = useId();
  const webhook = message.channel === 'webhook';
  const send = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    try {
      const sent = await sendTestMessage(workspaceId, message.channel, webhook ? undefined : to.trim(), message.content);
      const where = webhook ? 'to the webhook’s URL' : `to ${to.trim()}`;
      setResult({
        ok: true,
        text: `Sent ${where}${sent.sandbox ? ' (sandbox: recorded, nothing left the machine)' : ''}. It is marked as a test and not counted in the journey’s numbers or anyone’s frequency cap.`,
      });
      setAsking(false);
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message });
    } finally {
      setSending(false);
    }
  };
  return (
    <section className="wm-pv-message" aria-label={`${channelName(message.channel)} as the customer would get it`}>
      <Preview rendered={message.content} />
      {canSend && !asking && (
        <button type="button" className="wm-pv-send" onClick={() => setAsking(true)}>
          <Send aria-hidden size={14} /> Send test
        </button>
      )}
      {asking && (
        <form className="wm-pv-send-form" onSubmit={(e) => void send(e)}>
          {!webhook && (
            <>
              <label htmlFor={fieldId} className="wm-pv-label">
                {addressWords[message.channel] ?? 'Address'} to send the test to
              </label>
              <input id={fieldId} value={to} required onChange={(e) => setTo(e.target.value)} />
            </>
          )}
          {webhook && <p className="wm-pv-hint">The request goes to the URL above.</p>}
          <div className="wm-pv-actions">
            <button type="submit" className="wm-primary" disabled={sending}>
              {sending ? 'Sending…' : 'Send test'}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
          <p className="wm-pv-hint">Marked as a test: not counted in the journey’s numbers or the frequency cap.</p>
        </form>
      )}
      {result && (
        <p role="status" className={result.ok ? 'wm-pv-hint' : 'wm-error'}>
          {result.text}
        </p>
      )}
    </section>
  );
}
