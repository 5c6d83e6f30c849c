import { renderedText } from './rendered-text.ts';
import { smsSegments } from '@waymark/shared';

/** The message as a bubble, with how many characters and billed parts it takes. */
export function SmsPreview({ rendered }: { rendered: Record<string, unknown> }) {
  const text = renderedText(rendered.text);
  const count = smsSegments(text);
  return (
    <div className="insp-sms">
      <p className="insp-sms-bubble">{text}</p>
      <p className="insp-muted insp-sms-count">
        {count.characters} characters · {count.segments} {count.segments === 1 ? 'segment' : 'segments'} · {count.encoding === 'GSM-7' ? 'GSM-7' : 'Unicode (UCS-2)'}, {count.perSegment} per segment
      </p>
    </div>
  );
}
