import type { MessageDetail } from '@waymark/shared';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { DeliveryHistory } from './DeliveryHistory.tsx';
import { Drawer } from './Drawer.tsx';
import { fetchMessage } from './customer-api.ts';
import { MessagePreview } from './MessagePreview.tsx';
import { SkeletonLines } from '../../components/Skeleton.tsx';
import { channelName } from '../../components/words.ts';

const statusWords: Record<string, string> = {
  queued: 'Queued',
  held: 'Held while the journey is paused',
  sending: 'Sending',
  retrying: 'Retrying',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
};

/** One message opened from the timeline: what was sent, to whom, from which step, and its delivery history. */
export function MessageDrawer({ workspaceId, customerId, messageId, onClose }: { workspaceId: string; customerId: string; messageId: string; onClose(): void }) {
  const [message, setMessage] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchMessage(workspaceId, customerId, messageId).then(setMessage, (e: Error) => setError(e.message));
  }, [workspaceId, customerId, messageId]);
  return (
    <Drawer title={message ? `${channelName(message.channel)} from ${message.journeyName ?? 'a deleted journey'}` : 'Message'} onClose={onClose}>
      <ErrorAlert message={error} />
      {!message && !error && <SkeletonLines lines={6} label="Loading the message" />}
      {message && (
        <>
          <dl className="wm-fields wm-message-facts">
            <div>
              <dt>To</dt>
              <dd className="wm-break">{message.to ?? (message.channel === 'webhook' ? 'the webhook below' : 'the app inbox')}</dd>
            </div>
            <div>
              <dt>Step</dt>
              <dd>
                {message.nodeLabel} <span className="wm-muted">· version {message.version}</span>
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                {statusWords[message.status] ?? message.status}
                {message.attempts > 1 ? ` after ${message.attempts} attempts` : ''}
                {message.transactional ? ' · transactional' : ''}
              </dd>
            </div>
          </dl>
          <h3>As sent</h3>
          <MessagePreview content={message.content} />
          <h3>Delivery</h3>
          <DeliveryHistory history={message.history} />
        </>
      )}
    </Drawer>
  );
}
