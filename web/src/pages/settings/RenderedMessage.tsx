import { messageContent, smsSegments } from '@waymark/shared';
import { MessagePreview } from '../customers/MessagePreview.tsx';

const count = new Intl.NumberFormat('en');

/** A message as its recipient sees it (email in a sandboxed frame, SMS bubble with its billed parts, push or in-app card). */
export function RenderedMessage({ channel, content }: { channel: string; content: Record<string, unknown> }) {
  const preview = messageContent(channel, content);
  const parts = preview.channel === 'sms' ? smsSegments(preview.text) : null;
  return (
    <div className="wm-rendered">
      <MessagePreview content={preview} />
      {parts && (
        <p className="wm-note">
          {count.format(parts.characters)} characters · {parts.segments} {parts.segments === 1 ? 'segment' : 'segments'} ({parts.encoding === 'GSM-7' ? 'GSM-7' : 'Unicode'})
        </p>
      )}
    </div>
  );
}
