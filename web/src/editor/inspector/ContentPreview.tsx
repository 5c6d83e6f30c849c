import { useMemo, useState } from 'react';
import { renderContent, type Channel, type ChannelContent } from '@waymark/shared';
import { EmailPreview } from './EmailPreview.tsx';
import { InAppPreview } from './InAppPreview.tsx';
import { defaultSampleCustomer, previewScope, type SampleCustomer } from './preview-scope.ts';
import { PushPreview } from './PushPreview.tsx';
import { SmsPreview } from './SmsPreview.tsx';
import { WebhookPreview } from './WebhookPreview.tsx';

export interface ContentPreviewProps {
  /** A send node's `data.content`, possibly mid-edit. */
  content: ChannelContent | undefined;
  /** The channels to preview, e.g. `deliveryChannels(data.delivery)`. */
  channels: Channel | readonly Channel[];
  sampleCustomer?: SampleCustomer;
  /** The trigger event's properties, seen as `event`. */
  sampleEvent?: Record<string, unknown>;
  journeyName?: string;
  /** The moment to render at (ISO-8601); defaults to when the preview mounted. */
  now?: string;
}

const channelTitles: Record<Channel, string> = { email: 'Email', sms: 'SMS', push: 'Push', 'in-app': 'In-app', webhook: 'Webhook' };
const previews = { email: EmailPreview, sms: SmsPreview, push: PushPreview, 'in-app': InAppPreview, webhook: WebhookPreview };

/** Each channel's content rendered with Liquid by the engine's own renderer, for a sample customer. */
export function ContentPreview({ content, channels, sampleCustomer, sampleEvent, journeyName = 'Preview', now }: ContentPreviewProps) {
  const [mountedAt] = useState(() => new Date().toISOString());
  const scope = useMemo(
    () => previewScope({ customer: sampleCustomer ?? defaultSampleCustomer, event: sampleEvent ?? {}, journeyName, now: now ?? mountedAt }),
    [sampleCustomer, sampleEvent, journeyName, now, mountedAt],
  );
  const list: readonly Channel[] = typeof channels === 'string' ? [channels] : channels;
  return (
    <div className="insp-preview">
      {list.map((channel) => {
        const result = renderContent(channel, content ?? {}, scope);
        const Preview = previews[channel];
        return (
          <section key={channel} className="insp-preview-channel" aria-label={`${channelTitles[channel]} preview`}>
            <h3 className="insp-preview-title">{channelTitles[channel]}</h3>
            {result.ok ? (
              <Preview rendered={result.content} />
            ) : result.field === `content.${channel}` ? (
              <p className="insp-muted">No {channelTitles[channel]} content yet.</p>
            ) : (
              <p className="insp-render-error">
                <code>{result.field}</code>: {result.error}
              </p>
            )}
          </section>
        );
      })}
    </div>
  );
}
